/**
 * The library side of the synthesis benchmark: N `NodeLocalDaemonService`s, each with a named
 * TCP port and a UDP port, and a client Deployment wired to each with `connect()`. Whatever
 * validation the construct registers runs in `app.synth()`.
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AGENT_IMAGE, AppBuilder, CHART_ID, CLIENT_IMAGE, CLIENT_PORT, ENV, NAMESPACE, TCP_PORT, UDP_PORT } from './app-shape';
import { NodeLocalDaemonService } from '../src';

export const libraryApp: AppBuilder = (app, n) => {
  const chart = new Chart(app, CHART_ID, { namespace: NAMESPACE });
  for (let i = 0; i < n; i++) {
    const agent = new NodeLocalDaemonService(chart, `agent-${i}`, {
      metadata: { name: `agent-${i}` },
      containers: [{ name: 'agent', image: AGENT_IMAGE }],
      ports: [
        { name: TCP_PORT.name, port: TCP_PORT.port },
        { name: UDP_PORT.name, port: UDP_PORT.port, protocol: kplus.Protocol.UDP },
      ],
    });
    const client = new kplus.Deployment(chart, `client-${i}`, {
      metadata: { name: `client-${i}` },
      containers: [{ name: 'app', image: CLIENT_IMAGE, portNumber: CLIENT_PORT }],
    });
    agent.connect(client, { port: TCP_PORT.name, env: ENV });
  }
};
