// The fleet page: a list of FleetRollouts (polled) and one selected run followed live over Server-Sent Events.
// No framework and no CDN: the silo serves this file from its own assembly. Every text goes through textContent.
'use strict';

const TokenKey = 'coordinator-token';
const Final = new Set(['Completed', 'Aborted', 'Failed', 'Reverted']);
const state = {
  token: sessionStorage.getItem(TokenKey),
  me: null,
  selected: decodeURIComponent(location.hash.replace(/^#\/?fleets\//, '')) || null,
  fleet: null,
  actions: [],
  rollouts: new Map(),
  stream: null,
};

const $ = (selector) => document.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function headers(extra = {}) {
  return state.token ? { ...extra, Authorization: `Bearer ${state.token}` } : extra;
}

class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, options = {}) {
  const response = await fetch(`api/${path}`, { ...options, headers: headers(options.headers) });
  if (response.status === 401) { askForToken('sign in to see the fleet'); throw new HttpError(401, 'not signed in'); }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new HttpError(response.status, body?.error ?? `${response.status} ${response.statusText}`);
  return body;
}

function askForToken(message) {
  $('#signin').hidden = false;
  $('#signin-error').textContent = message ?? '';
  $('#live').textContent = 'signed out';
  $('#live').classList.remove('on');
}

// ---- fleet list (polled: fleets come and go rarely) ----

async function refreshList() {
  let fleets;
  try { fleets = await api('fleets'); } catch (error) { return; }
  const list = $('#fleet-list');
  list.replaceChildren(...fleets.map(({ fleet }) => el('li', {},
    el('a', { href: `#/fleets/${encodeURIComponent(fleet.name)}`, 'data-fleet': fleet.name, class: fleet.name === state.selected ? 'selected' : '' },
      el('span', {}, fleet.name), el('span', { class: `state s-${fleet.phase}` }, fleet.phase)))));
  $('#no-fleets').hidden = fleets.length > 0;
  if (!state.selected && fleets.length > 0) select(fleets[0].fleet.name);
}

function select(name) {
  if (location.hash !== `#/fleets/${encodeURIComponent(name)}`) location.hash = `#/fleets/${encodeURIComponent(name)}`;
  if (state.selected === name && state.stream) return;
  state.selected = name;
  state.fleet = null;
  state.rollouts = new Map();
  for (const a of document.querySelectorAll('#fleet-list a')) a.classList.toggle('selected', a.dataset.fleet === name);
  follow(name);
}

// ---- live feed of the selected fleet (SSE over fetch, so the bearer token can travel in a header) ----

async function follow(name) {
  state.stream?.abort();
  const stream = new AbortController();
  state.stream = stream;
  let delay = 500;
  while (!stream.signal.aborted && state.selected === name) {
    try {
      const response = await fetch(`api/fleets/${encodeURIComponent(name)}/events`, { headers: headers(), signal: stream.signal });
      if (response.status === 401) { askForToken('sign in to see the fleet'); return; }
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        showError(body?.error ?? `${response.status} ${response.statusText}`);
        return;
      }
      $('#live').textContent = 'live';
      $('#live').classList.add('on');
      delay = 500;
      const ended = await readEvents(response.body, stream.signal);
      if (ended === 'deleted') return;
    } catch (error) {
      if (stream.signal.aborted) return;
    }
    $('#live').textContent = 'reconnecting';
    $('#live').classList.remove('on');
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

async function readEvents(body, signal) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  while (!signal.aborted) {
    const { value, done } = await reader.read();
    if (done) return 'closed';
    buffer += value.replace(/\r\n/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length === 0) continue;
      const payload = JSON.parse(data.join('\n'));
      if (type === 'fleet') {
        onFleet(payload);
        if (!payload.fleet.exists) return 'deleted';
      } else if (type === 'rollout') {
        onRollout(payload);
      }
    }
  }
  return 'aborted';
}

function onFleet({ fleet, actions }) {
  state.fleet = fleet;
  state.actions = actions;
  renderFleet();
  const link = document.querySelector(`#fleet-list a[data-fleet="${CSS.escape(fleet.name)}"] .state`);
  if (link) { link.textContent = fleet.phase; link.className = `state s-${fleet.phase}`; }
}

function onRollout(view) {
  state.rollouts.set(view.rollout.key.cluster, view);
  renderRollouts();
}

function showError(message) {
  $('#action-error').textContent = message;
}

// ---- rendering ----

function renderFleet() {
  const fleet = state.fleet;
  $('#fleet').hidden = false;
  if (!fleet.exists) {
    $('#fleet-name').textContent = fleet.name;
    $('#fleet-phase').textContent = 'deleted';
    $('#why-waiting').textContent = 'This FleetRollout was deleted.';
    $('#actions').replaceChildren();
    $('#waves tbody').replaceChildren();
    return;
  }
  $('#fleet-name').textContent = fleet.name;
  $('#fleet-phase').textContent = fleet.phase;
  $('#fleet-phase').className = `badge s-${fleet.phase}`;
  $('#fleet-run').textContent = fleet.run;
  $('#fleet-rollout').textContent = `${fleet.rolloutNamespace}/${fleet.rolloutName}`;
  $('#fleet-change').textContent = fleet.change;
  $('#fleet-failures').textContent = `${fleet.failures} of ${fleet.failureBudget === 2147483647 ? 'unlimited' : fleet.failureBudget} allowed (on failure: ${fleet.onFailure})`;
  $('#why-waiting').textContent = fleet.message;
  renderActions(fleet);
  $('#waves tbody').replaceChildren(...fleet.waves.map(renderWave));
  renderRollouts();
}

function renderActions(fleet) {
  const waitingForApproval = fleet.waves.some((w) => w.state === 'WaitingForApproval' || (w.state === 'Pending' && w.requireApproval && !w.approvedBy));
  const enabled = {
    approve: waitingForApproval && !Final.has(fleet.phase),
    halt: !Final.has(fleet.phase) && fleet.phase !== 'Halted',
    resume: fleet.phase === 'Halted',
    abort: !Final.has(fleet.phase),
    revert: fleet.phase !== 'Reverting' && fleet.phase !== 'Reverted',
  };
  const confirmFirst = { abort: 'Abort this run? Clusters in progress go back.', revert: 'Revert every updated cluster to its previous template?' };
  $('#actions').replaceChildren(...state.actions.map((action) => el('button', {
    type: 'button', 'data-action': action, disabled: !enabled[action],
    onclick: () => act(`fleets/${encodeURIComponent(fleet.name)}/${action}`, confirmFirst[action], (view) => onFleet(view)),
  }, action[0].toUpperCase() + action.slice(1))));
}

function renderWave(wave) {
  const notes = [
    wave.requireApproval ? (wave.approvedBy ? `approved by ${wave.approvedBy}` : 'needs approval') : null,
    `maxParallel ${wave.maxParallel}`,
    wave.state === 'Baking' && wave.bakeUntil ? `baking until ${new Date(wave.bakeUntil).toLocaleTimeString([], { hour12: false })}` : null,
  ].filter(Boolean).join(' · ');
  return el('tr', { 'data-wave': wave.name },
    el('td', {}, el('div', { class: 'wave-name' }, wave.name), el('div', { class: 'wave-note' }, notes)),
    el('td', {}, el('span', { class: `wave-state state s-${wave.state}` }, wave.state)),
    el('td', {}, el('div', { class: 'cells' }, ...wave.clusters.map(renderCluster))));
}

function renderCluster(cluster) {
  // As rolloutctl prints it: the step index (Argo's currentStepIndex) over the step count.
  const step = cluster.step === null || cluster.step === undefined ? '-' : `${cluster.step}/${cluster.stepCount}`;
  return el('div', { class: `cluster s-${cluster.state}`, 'data-cluster': cluster.cluster },
    el('div', {}, el('span', { class: 'name' }, cluster.cluster), ' ', el('span', { class: `state s-${cluster.state}` }, cluster.state)),
    el('div', { class: 'detail' },
      el('span', { class: 'phase' }, cluster.rolloutPhase || '-'), ' · step ', el('span', { class: 'step' }, step),
      ' · weight ', el('span', { class: 'weight' }, cluster.weight), ' · rev ', el('span', { class: 'revision' }, cluster.revision || '-')),
    cluster.failureReason ? el('div', { class: 'detail error' }, cluster.failureReason) : null);
}

function renderRollouts() {
  const fleet = state.fleet;
  if (!fleet?.exists) { $('#rollouts').replaceChildren(); return; }
  const clusters = fleet.waves.flatMap((w) => w.clusters.map((c) => c.cluster));
  $('#rollouts').replaceChildren(...clusters.filter((c) => state.rollouts.has(c)).map((c) => renderRollout(state.rollouts.get(c))));
}

function renderRollout({ rollout, pods, actions }) {
  const key = rollout.key;
  if (!rollout.exists) {
    return el('div', { class: 'rollout', 'data-rollout-cluster': key.cluster }, el('h4', {}, key.cluster), el('p', { class: 'muted' }, 'no Rollout here'));
  }
  const step = rollout.currentStepIndex === null || rollout.currentStepIndex === undefined ? '-' : `${rollout.currentStepIndex}/${rollout.stepCount}`;
  const path = `rollouts/${encodeURIComponent(key.cluster)}/${encodeURIComponent(key.namespace)}/${encodeURIComponent(key.name)}`;
  const replicaSets = rollout.replicaSets.map((rs) => {
    const own = pods.pods.filter((p) => p.hash === rs.hash);
    return el('div', { class: 'rs', 'data-replicaset': rs.name },
      el('div', {}, el('strong', {}, rs.name), ...rs.roles.map((r) => el('span', { class: 'role' }, r)),
        ` rev ${rs.revision} · ready ${rs.ready}/${rs.desired} · ${rs.images.join(', ')}`),
      own.length ? el('ul', {}, ...own.map((p) => el('li', { 'data-pod': p.name }, `${p.name} ${p.status} ready ${p.ready}/${p.total}`,
        p.restarts ? ` restarts ${p.restarts}` : ''))) : null);
  });
  return el('div', { class: 'rollout', 'data-rollout-cluster': key.cluster },
    el('h4', {}, `${key.cluster}`, el('span', { class: 'muted' }, `${key.namespace}/${key.name}`),
      el('span', { class: `rollout-phase state s-${rollout.phase}` }, rollout.phase)),
    el('div', {}, `step ${step} · weight ${rollout.setWeight} (actual ${rollout.actualWeight}) · revision ${rollout.revision}`,
      ` · replicas ${rollout.replicas.available}/${rollout.replicas.desired} available`),
    rollout.message ? el('div', { class: 'message' }, rollout.message) : null,
    actions.length ? el('div', { class: 'buttons' }, ...actions.map((action) => el('button', {
      type: 'button', 'data-rollout-action': action,
      disabled: action === 'promote' ? rollout.phase !== 'Paused' && rollout.phase !== 'Progressing' : rollout.phase === 'Healthy' || rollout.aborted,
      onclick: () => act(`${path}/${action}`, action === 'abort' ? `Abort the Rollout in ${key.cluster}?` : null, (view) => onRollout(view)),
    }, action[0].toUpperCase() + action.slice(1)))) : null,
    pods.error ? el('div', { class: 'error' }, `pods: ${pods.error}`) : null,
    ...replicaSets);
}

async function act(path, confirmation, then) {
  if (confirmation && !window.confirm(confirmation)) return;
  showError('');
  try {
    then(await api(path, { method: 'POST', headers: { 'X-Coordinator-Ui': '1' } }));
  } catch (error) {
    showError(error.message);
  }
}

// ---- start ----

async function start() {
  $('#signin').addEventListener('submit', async (event) => {
    event.preventDefault();
    state.token = $('#token').value.trim() || null;
    if (state.token) sessionStorage.setItem(TokenKey, state.token); else sessionStorage.removeItem(TokenKey);
    $('#token').value = '';
    await boot();
  });
  $('#signout').addEventListener('click', () => {
    sessionStorage.removeItem(TokenKey);
    state.token = null;
    location.reload();
  });
  window.addEventListener('hashchange', () => {
    const name = decodeURIComponent(location.hash.replace(/^#\/?fleets\//, ''));
    if (name && name !== state.selected) select(name);
  });
  await boot();
  setInterval(refreshList, 3000);
}

async function boot() {
  try {
    state.me = await api('me');
  } catch (error) {
    if (error.status !== 401) askForToken(error.message);
    return;
  }
  $('#signin').hidden = true;
  $('#user').textContent = state.me.authenticated ? `signed in as ${state.me.user}` : 'no authentication (embedded default)';
  $('#signout').hidden = !state.token;
  await refreshList();
  if (state.selected) select(state.selected);
}

start();
