// Every CI scenario of observability (charts/observability/ci/) renders byte for byte as its committed golden
// (test/goldens/observability/), on Helm 3 and 4, with no whitespace-only lines of ours.
import { describeGoldens } from '../helpers/golden.js';

describeGoldens('observability');
