// Property: every umbrella values file drawn from the umbrella's schema (the subcharts' values under
// their keys), bad-value mutations included, is refused naming a values path of the umbrella
// (`restaurant-app.services.…`) or renders objects the API server would accept (Helm 3 and 4).
import '../helpers/sail.js';
import { describeValuesProperty } from '../helpers/property.js';
import { platformRender } from './fixtures.js';

describeValuesProperty({
  chart: 'restaurant-platform',
  runs: 150,
  render: platformRender,
});
