// Every CI scenario of restaurant-app (charts/restaurant-app/ci/) renders byte for byte as its committed golden
// (test/goldens/restaurant-app/), on Helm 3 and 4, with no whitespace-only lines of ours.
import { describeGoldens } from '../helpers/golden.js';

describeGoldens('restaurant-app');
