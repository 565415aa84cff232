// The restricted Pod Security check lives with the other checks; tests import it from here.
export { podSpecOf, restrictedViolations } from '../../generator/checks/pod-security.js';
