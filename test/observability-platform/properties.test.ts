// Property: every values file drawn from the chart's schema, bad-value mutations included, is
// either refused naming a values path or renders objects the API server would accept (Helm 3 and 4).
import { describeValuesProperty } from '../helpers/property.js';
import { platformRender } from './fixtures.js';

describeValuesProperty({ chart: 'observability-platform', runs: 150, render: (helm, environment) => platformRender(helm, environment, 'operator') });
