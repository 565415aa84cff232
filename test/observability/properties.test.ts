// Property: every values file drawn from the umbrella's schema (its own blocks; the upstream
// charts' pass-through values are opaque to the generators), bad-value mutations included, is
// refused naming a values path or renders objects the API server would accept (Helm 3 and 4).
// Fewer cases than the platform's own charts: each render carries six real upstream charts.
import { describeValuesProperty } from '../helpers/property.js';
import { umbrellaRender } from './fixtures.js';

describeValuesProperty({ chart: 'observability', runs: 100, render: (helm, environment) => umbrellaRender(helm, environment) });
