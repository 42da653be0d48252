/**
 * What both synthesis apps build: one chart, N agents each with a named TCP port and a UDP port,
 * and one client Deployment per agent whose variable holds the agent's endpoint. The library
 * app (`library-app.ts`) and the hand-written one (`hand-written-app.ts`) are separate modules
 * so a worker loads only the code of the variant it measures.
 */
import { App } from 'cdk8s';

/** The chart both apps synthesize into, and its namespace (clients are in it too). */
export const CHART_ID = 'bench';
export const NAMESPACE = 'bench';
export const AGENT_IMAGE = 'ghcr.io/example/agent:1.0.0';
export const CLIENT_IMAGE = 'ghcr.io/example/app:1.0.0';
export const CLIENT_PORT = 8080;
/** The client's variable that receives the agent's endpoint. */
export const ENV = 'AGENT_ENDPOINT';
export const TCP_PORT = { name: 'otlp', port: 4317 };
export const UDP_PORT = { name: 'statsd', port: 8125 };

/** Builds the app with N agents. */
export type AppBuilder = (app: App, n: number) => void;
