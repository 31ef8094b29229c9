"use strict";
// One live stream for every console tab of this browser. A browser gives a host six connections:
// with a stream per tab, the seventh tab open at once would get none to load or go live with. Each
// tab's port gets every frame of the one stream, and "open" whenever it (re)opens, as a tab's own
// EventSource would say it; a tab that leaves says so, and the last one to leave closes the stream.
const ports = new Set();
let source = null;
let open = false;

function send(message) {
  ports.forEach(port => port.postMessage(message));
}

function connect() {
  source = new EventSource("/api/stream");
  source.onopen = () => { open = true; send({ kind: "open" }); };
  source.onerror = () => { open = false; send({ kind: "error" }); };
  for (const kind of ["row", "event"]) source.addEventListener(kind, e => send({ kind, data: e.data }));
}

onconnect = e => {
  const port = e.ports[0];
  ports.add(port);
  port.onmessage = m => {
    if (m.data !== "leave") return;
    ports.delete(port);
    if (ports.size === 0 && source) {
      source.close();
      source = null;
      open = false;
    }
  };
  port.start();
  if (!source) connect();
  else if (open) port.postMessage({ kind: "open" });
};
