import { Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { freePort, portIsOpen, startProc, waitFor } from '../../scripts/lib/procs';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../workflows/contracts/search-attributes';
import { testDataConverter, testEnv } from './env';

// The SDK would spawn the Java test server itself but gives it only 5 s to listen, which a JVM on a
// busy two-core machine can miss. So each test file starts its own server (time skipping is global
// to a server) with no such limit and attaches a time-skipping environment to it.
class AttachedTimeSkippingEnvironment extends TestWorkflowEnvironment {
  static async attach(address: string, stopServer: () => Promise<void>): Promise<TestWorkflowEnvironment> {
    const internal = { [InternalConnectionOptionsSymbol]: { supportsTestService: true } };
    const nativeConnection = await NativeConnection.connect({ address, ...internal } as never);
    const connection = await Connection.connect({ address, ...internal } as never);
    const env = new AttachedTimeSkippingEnvironment(
      Runtime.instance(),
      { server: { type: 'existing' }, client: { dataConverter: testDataConverter() }, plugins: [] } as never,
      true,
      'existing',
      connection,
      nativeConnection,
      'default',
      address,
    );
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      await teardown();
      await stopServer();
    };
    return env;
  }
}

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const port = await freePort();
  const proc = startProc(
    'test-server',
    'java',
    [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xss512k',
      '-cp',
      testEnv('TEST_TESTSERVER_CLASSPATH'),
      'io.temporal.testserver.TestServer',
      String(port),
    ],
    { logFile: `${process.cwd()}/.test-data/logs/test-server-${port}.log` },
  );
  await waitFor('time-skipping test server', () => portIsOpen(port), { timeoutMs: 60_000, proc });
  const env = await AttachedTimeSkippingEnvironment.attach(`127.0.0.1:${port}`, () =>
    proc.stop('SIGTERM', 5000),
  );
  // The workflows upsert the project's custom search attributes; the test server must know them.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      CUSTOM_SEARCH_ATTRIBUTES.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]),
    ),
  });
  await startClockAt(env);
  return env;
}

/**
 * A clock the run controls: with TEST_CLOCK_START (an ISO instant, e.g. 2027-01-01T00:30:00+08:00)
 * the server's time is moved forward to that instant before the test starts, so the workflow tests
 * can be run as of any later day — the 1st, before and after the roster date, month and year end —
 * to show that they hold on every day (`TEST_CLOCK_START=… scripts/test.sh test/workflows`).
 */
async function startClockAt(env: TestWorkflowEnvironment) {
  const start = process.env.TEST_CLOCK_START;
  if (!start) return;
  const target = Date.parse(start);
  if (Number.isNaN(target)) throw new Error(`TEST_CLOCK_START is not an ISO instant: ${start}`);
  const ahead = target - (await env.currentTimeMs());
  if (ahead < 0)
    throw new Error(`TEST_CLOCK_START ${start} is in the past: the test server only moves forward`);
  await env.sleep(ahead);
}
