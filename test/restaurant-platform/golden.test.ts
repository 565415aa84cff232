// Every CI scenario of restaurant-platform (charts/restaurant-platform/ci/) renders byte for byte as its committed golden
// (test/goldens/restaurant-platform/), on Helm 3 and 4, with no whitespace-only lines of ours.
import { describeGoldens } from '../helpers/golden.js';

describeGoldens('restaurant-platform');
