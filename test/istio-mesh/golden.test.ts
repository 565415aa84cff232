// Every CI scenario of istio-mesh (charts/istio-mesh/ci/) renders byte for byte as its committed golden
// (test/goldens/istio-mesh/), on Helm 3 and 4, with no whitespace-only lines of ours.
import { describeGoldens } from '../helpers/golden.js';

describeGoldens('istio-mesh');
