// The example app: `npm run example` synthesizes it with `cdk8s synth --no-check-upgrade`.
import { App } from 'cdk8s';
import { buildExample } from './otel-agent';

const app = new App();
buildExample(app);
app.synth();
