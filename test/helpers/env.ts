// What scripts/test.sh (scripts/stack.ts test) hands the tests: servers started on free ports.
export function testEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests with scripts/test.sh (it starts the servers)`);
  return v;
}
