// A bug in the engine is still one line and exit 2, never a stack trace.
import { cli } from './support';

jest.mock('../../src/lint/lint', () => ({
  lintWithAcknowledged: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'spec')\n    at someRule (rule.ts:1:1)");
  },
}));

test('an exception inside the engine is reported as an internal error, exit 2', async () => {
  const result = await cli(['lint'], { stdin: 'apiVersion: v1\nkind: ConfigMap\n' });
  expect(result).toEqual({
    code: 2,
    stdout: '',
    stderr: "cdk8s-node-local: internal error: Cannot read properties of undefined (reading 'spec'); "
      + 'this is a bug in cdk8s-node-local, please report it with the input that caused it\n',
  });
});
