// SPDX-License-Identifier: MPL-2.0
// The kommute page: our own road network as the base map (Leaflet, canvas
// renderer, no tiles), layers for sites, vehicles, trip density, planned
// routes and shared rides, a click on a road for its attributes and use by
// hour, and the fleet and travel dashboards (Chart.js, animation off).
// Everything comes from the server that serves this page; nothing else is
// fetched, so it works offline.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { Chart, registerables } from 'chart.js';
import './style.css';

Chart.register(...registerables);
Chart.defaults.animation = false;
Chart.defaults.font.size = 12;

// Road classes: drawing order (minor first), colour and width at zoom 14.
const ROAD_STYLE = {
  motorway: ['#c0392b', 5], motorway_link: ['#c0392b', 3], trunk: ['#d35400', 4.5], trunk_link: ['#d35400', 3],
  primary: ['#e08e0b', 4], primary_link: ['#e08e0b', 2.5], secondary: ['#c9a227', 3.5], secondary_link: ['#c9a227', 2.5],
  tertiary: ['#7f8c8d', 3], tertiary_link: ['#7f8c8d', 2], unclassified: ['#95a5a6', 2], residential: ['#a9b4bd', 1.8],
  living_street: ['#b8c2ca', 1.5], service: ['#ccd3d9', 1.2], road: ['#b0b8bf', 1.5], track: ['#c8b89a', 1.2],
};
const LEGEND = [['motorway', 'Motorway'], ['trunk', 'Trunk road'], ['primary', 'Primary road'],
  ['secondary', 'Secondary road'], ['tertiary', 'Tertiary road'], ['residential', 'Residential street'],
  ['service', 'Service road']];
const HOUR_LABELS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

const state = { map: null, renderer: null, layers: {}, charts: {}, sites: [], vehicles: [], ready: {} };
window.kommute = state; // for the browser test and curious users

const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fmt = (x, d = 0) => (x == null || Number.isNaN(x) ? '–' : Number(x).toLocaleString('en-GB', { maximumFractionDigits: d, minimumFractionDigits: d }));

async function api(path, options) {
  const res = await fetch(path, options);
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  return { status: res.status, ok: res.ok, body };
}

// Google/OSRM encoded polyline -> [[lat, lon], ...]
function decodePolyline(s, precision = 5) {
  const f = 10 ** precision;
  const out = [];
  let i = 0, lat = 0, lon = 0;
  while (i < s.length) {
    for (const which of [0, 1]) {
      let shift = 0, result = 0, b;
      do { b = s.charCodeAt(i++) - 63; result |= (b & 0x1f) << shift; shift += 5; } while (b >= 0x20);
      const d = result & 1 ? ~(result >> 1) : result >> 1;
      if (which === 0) lat += d; else lon += d;
    }
    out.push([lat / f, lon / f]);
  }
  return out;
}

function roadWeight(cls, zoom) {
  const w = (ROAD_STYLE[cls] || ['#b0b8bf', 1.5])[1];
  return Math.max(0.6, w * 2 ** ((zoom - 14) / 2));
}

async function drawRoads() {
  const r = await api('/map/roads');
  if (!r.ok) { status(r.body?.message || 'No road network on this server'); return; }
  const { bbox, classes } = r.body;
  state.map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]]);
  const group = L.layerGroup();
  let n = 0;
  for (const c of classes) {
    const color = (ROAD_STYLE[c.class] || ['#b0b8bf'])[0];
    const lines = c.lines.map((l) => decodePolyline(l, r.body.precision || 5));
    const pl = L.polyline(lines, { renderer: state.renderer, color, weight: roadWeight(c.class, state.map.getZoom()),
      interactive: false, lineCap: 'round', lineJoin: 'round' });
    pl.roadClass = c.class;
    group.addLayer(pl);
    n += c.lines.length;
  }
  group.addTo(state.map);
  state.layers.roads = group;
  state.map.on('zoomend', () => group.eachLayer((pl) => pl.setStyle({ weight: roadWeight(pl.roadClass, state.map.getZoom()) })));
  state.ready.roads = n;
  document.body.dataset.roads = String(n);
  $('legend').innerHTML = LEGEND.map(([k, label]) => `<div><span class="swatch" style="border-top-color:${ROAD_STYLE[k][0]};border-top-width:${Math.max(1, ROAD_STYLE[k][1])}px"></span>${label}</div>`).join('');
}

function hourChart(canvas, use) {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: HOUR_LABELS, datasets: [
      { label: 'Fleet logbook trips', data: use.by_hour, backgroundColor: '#1f6fb2' },
      { label: 'Car journeys (travel records)', data: use.car_by_hour || [], backgroundColor: '#f2b134' }] },
    options: { responsive: false, plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } }, title: { display: true, text: 'Use of this road by hour of day' } },
      scales: { x: { stacked: true, title: { display: true, text: 'Hour the trip started' } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

async function onMapClick(e) {
  const { lat, lng } = e.latlng;
  const r = await api(`/map/road?lon=${lng.toFixed(6)}&lat=${lat.toFixed(6)}&radius=60`);
  if (state.layers.highlight) { state.layers.highlight.remove(); state.layers.highlight = null; }
  if (!r.ok) { status(r.status === 404 ? 'No road there' : (r.body?.message || 'Error')); return; }
  const d = r.body;
  const coords = d.geometry.coordinates.map(([x, y]) => [y, x]);
  state.layers.highlight = L.polyline(coords, { renderer: state.renderer, color: '#f2b134', weight: 8, opacity: 0.8, interactive: false }).addTo(state.map);
  const speed = d.oneway ? `${fmt(d.speed_forward)} km/h (one way)` : `${fmt(d.speed_forward)} / ${fmt(d.speed_backward)} km/h`;
  const use = d.use || {};
  const useText = use.status === 'ready' ? `${fmt(use.trips)} of ${fmt(use.trips_routed)} fleet logbook trips and ${fmt(use.car_journeys)} of ${fmt(use.car_journeys_routed)} car journeys ran along it (routed start to end)`
    : use.status === 'computing' ? 'Use by hour: still being computed…' : 'No trip data on this server';
  const html = `<div class="road-popup"><h3>${esc(d.name || '(unnamed road)')}</h3><table>
    <tr><th>Class</th><td>${esc(d.class)}</td></tr>
    <tr><th>Speed used</th><td>${speed}</td></tr>
    <tr><th>Max speed</th><td>${d.maxspeed ? `${d.maxspeed} km/h` : 'not tagged'}</td></tr>
    <tr><th>One way</th><td>${d.oneway ? 'yes' : 'no'}</td></tr>
    <tr><th>Length</th><td>${fmt(d.length)} m</td></tr>
    <tr><th>OSM way</th><td>${esc(d.way_id)}</td></tr></table>
    <p class="note">${useText}</p>${use.status === 'ready' ? '<canvas width="300" height="210"></canvas>' : ''}</div>`;
  const popup = L.popup({ maxWidth: 340 }).setLatLng([d.location[1], d.location[0]]).setContent(html).openOn(state.map);
  const canvas = popup.getElement()?.querySelector('canvas');
  if (canvas) hourChart(canvas, use);
  state.ready.popup = d;
}

async function drawData() {
  const [sites, vehicles] = await Promise.all([api('/data/sites'), api('/data/vehicles')]);
  if (!sites.ok) { status(sites.body?.message || 'No data'); return false; }
  state.sites = sites.body.sites.filter((s) => s.lon != null);
  state.vehicles = vehicles.ok ? vehicles.body.vehicles : [];
  const sl = L.layerGroup();
  for (const s of state.sites) {
    L.circleMarker([s.lat, s.lon], { renderer: state.renderer, radius: 8, color: '#1f3a5f', weight: 2, fillColor: '#fff', fillOpacity: 1 })
      .bindTooltip(`${esc(s.name)} (${esc(s.key)}): ${s.vehicles} vehicles, ${fmt(s.trips)} trips, ${fmt(s.km)} km`).addTo(sl);
  }
  state.layers.sites = sl;
  const vl = L.layerGroup();
  const bySite = new Map();
  for (const v of state.vehicles) {
    if (v.lon == null) continue;
    const k = bySite.get(v.site) || 0;
    bySite.set(v.site, k + 1);
    const angle = (k / 8) * 2 * Math.PI, ring = 0.0009 * (1 + Math.floor(k / 8));
    const electric = v.fuel === 'electric';
    L.circleMarker([v.lat + ring * Math.sin(angle) * 0.5, v.lon + ring * Math.cos(angle)], { renderer: state.renderer, radius: 4,
      color: electric ? '#1e8449' : '#8e44ad', fillOpacity: 0.9, weight: 1 })
      .bindTooltip(`${esc(v.registration || v.key)}: ${esc(v.make)} ${esc(v.model)} (${esc(v.kind)}, ${esc(v.fuel)}), ${fmt(v.trips)} trips`).addTo(vl);
  }
  state.layers.vehicles = vl;
  const sel = $('plan-site');
  sel.innerHTML = state.sites.map((s, i) => `<option value="${i}">${esc(s.name)}</option>`).join('');
  const busiest = state.sites.reduce((b, s, i) => (s.vehicles > (state.sites[b]?.vehicles ?? -1) ? i : b), 0);
  sel.value = String(busiest);
  return true;
}

async function densityLayer() {
  const r = await api('/data/density?cell=0.004');
  const g = L.layerGroup();
  if (!r.ok) return g;
  const max = Math.max(1, ...r.body.cells.map((c) => c[2]));
  for (const [lon, lat, n] of r.body.cells) {
    L.circleMarker([lat, lon], { renderer: state.renderer, radius: 3 + 14 * Math.sqrt(n / max), stroke: false,
      fillColor: '#e74c3c', fillOpacity: 0.15 + 0.5 * (n / max) }).bindTooltip(`${fmt(n)} trip and journey ends`).addTo(g);
  }
  return g;
}

function toggle(id, name, make) {
  const box = $(id);
  const apply = async () => {
    if (box.checked) {
      if (!state.layers[name] && make) state.layers[name] = await make();
      state.layers[name]?.addTo(state.map);
    } else state.layers[name]?.remove();
  };
  box.addEventListener('change', apply);
  return apply;
}

// Home addresses for a demo round: midpoints of residential streets within
// 3 km of the site, every k-th one so that they spread (deterministic).
function visitPoints(site, n) {
  const pts = [];
  state.layers.roads?.eachLayer((pl) => {
    if (pl.roadClass !== 'residential') return;
    for (const line of pl.getLatLngs()) {
      const m = line[Math.floor(line.length / 2)];
      if (m && state.map.distance(m, [site.lat, site.lon]) < 3000) pts.push([m.lng, m.lat]);
    }
  });
  const step = Math.max(1, Math.floor(pts.length / n));
  return pts.filter((_, i) => i % step === 0).slice(0, n);
}

// A VROOM problem: up to three of the site's vehicles visit twelve homes
// (30 minutes each, 08:00-16:00); the server fills the matrices from its graph.
async function planRound() {
  const site = state.sites[Number($('plan-site').value)];
  if (!site) return;
  state.map.closePopup();
  $('plan-result').textContent = 'Planning…';
  const homes = visitPoints(site, 12);
  const vehicles = state.vehicles.filter((v) => v.site === site.key).slice(0, 3);
  if (!vehicles.length || !homes.length) { $('plan-result').textContent = 'Nothing to plan for this site.'; return; }
  const problem = {
    vehicles: vehicles.map((v, i) => ({ id: i + 1, description: v.registration || v.key, profile: 'car', start: [site.lon, site.lat], end: [site.lon, site.lat], time_window: [28800, 57600] })),
    jobs: homes.map((c, i) => ({ id: i + 1, location: c, service: 1800, description: `home visit ${i + 1}` })),
  };
  let r = await api('/plan?time_limit=2&wait=5', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(problem) });
  while (r.status === 202) {
    await new Promise((ok) => setTimeout(ok, 500));
    r = await api(r.body.location);
  }
  if (!r.ok) { $('plan-result').textContent = r.body?.message || 'Planning failed'; return; }
  await drawPlan(problem, r.body);
}

const ROUTE_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf'];

async function drawPlan(problem, sol) {
  state.layers.plan?.remove();
  const g = L.layerGroup();
  const jobs = new Map(problem.jobs.map((j) => [j.id, j]));
  let k = 0;
  for (const route of sol.routes) {
    const colour = ROUTE_COLOURS[k++ % ROUTE_COLOURS.length];
    const veh = problem.vehicles.find((v) => v.id === route.vehicle);
    const pts = [];
    for (const s of route.steps) {
      if (s.type === 'start') pts.push(veh.start);
      else if (s.type === 'end') pts.push(veh.end);
      else if (s.type === 'job') { const j = jobs.get(s.id); pts.push(j.location); L.circleMarker([j.location[1], j.location[0]], { renderer: state.renderer, radius: 5, color: colour, fillOpacity: 1 }).bindTooltip(`Visit ${s.id}: ${esc(j.description)}`).addTo(g); }
    }
    const rr = await api(`/route/v1/car/${pts.map((p) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`).join(';')}?geometries=geojson`);
    if (rr.ok) {
      const line = rr.body.routes[0].geometry.coordinates.map(([x, y]) => [y, x]);
      L.polyline(line, { renderer: state.renderer, color: colour, weight: 4, opacity: 0.85 }).bindTooltip(`${esc(veh.description)}: ${fmt(rr.body.routes[0].distance / 1000, 1)} km`).addTo(g);
    }
  }
  state.layers.plan = g;
  if ($('layer-plan').checked) g.addTo(state.map);
  const bounds = L.latLngBounds(problem.jobs.map((j) => [j.location[1], j.location[0]]));
  if (bounds.isValid()) state.map.fitBounds(bounds.pad(0.2), { animate: false });
  const un = sol.unassigned?.length || 0;
  $('plan-result').textContent = `${sol.routes.length} routes, ${fmt(sol.summary.distance / 1000, 1)} km, ${fmt(sol.summary.duration / 60)} min driving${un ? `, ${un} visits not planned` : ''}.`;
  state.ready.plan = sol.routes.length;
}

// Shared rides: a morning's commute to the busiest site from twenty homes
// (07:30-08:30), planned by the carpool engine (POST /pool/plan, a requests CSV).
async function poolLayer() {
  const g = L.layerGroup();
  const site = state.sites.reduce((b, s) => (!b || s.vehicles > b.vehicles ? s : b), null);
  if (!site) return g;
  const homes = visitPoints(site, 20);
  const day = '2024-05-06';
  const csv = ['request_id,person,origin_lon,origin_lat,dest_lon,dest_lat,earliest_departure,latest_arrival',
    ...homes.map((h, i) => `C${String(i + 1).padStart(2, '0')},Employee ${i + 1},${h[0].toFixed(6)},${h[1].toFixed(6)},${site.lon},${site.lat},${day}T07:30,${day}T08:30`)].join('\n');
  const r = await api('/pool/plan', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv });
  if (!r.ok) { $('pool-note').textContent = r.status === 404 ? 'Shared rides need the carpool analysis, which this server does not have.' : (r.body?.message || ''); return g; }
  const rides = r.body.rides || [];
  let k = 0;
  for (const ride of rides) {
    const colour = ROUTE_COLOURS[k++ % ROUTE_COLOURS.length];
    const pts = (ride.stops || []).filter((s) => s.lon != null).map((s) => [s.lon, s.lat]);
    if (pts.length < 2) continue;
    const rr = await api(`/route/v1/car/${pts.map((p) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`).join(';')}?geometries=geojson`);
    const line = rr.ok ? rr.body.routes[0].geometry.coordinates.map(([x, y]) => [y, x]) : pts.map(([x, y]) => [y, x]);
    L.polyline(line, { renderer: state.renderer, color: colour, weight: 3, dashArray: '8 5' })
      .bindTooltip(`Shared ride ${ride.ride}: ${esc(ride.driver)} drives ${ride.passengers.map(esc).join(', ')}; ${fmt(ride.km, 1)} km, ${fmt(ride.km_saved, 1)} km saved`).addTo(g);
    for (const s of ride.stops) if (s.kind === 'pickup') L.circleMarker([s.lat, s.lon], { renderer: state.renderer, radius: 3, color: colour, fillOpacity: 1 }).addTo(g);
  }
  const saved = rides.reduce((a, x) => a + (x.km_saved || 0), 0);
  $('pool-note').textContent = `${rides.length} shared rides for ${homes.length} commuters to ${site.name} (07:30–08:30), ${fmt(saved, 1)} km saved.`;
  state.ready.pool = rides.length;
  return g;
}

// ---- dashboards --------------------------------------------------------------------

function barChart(id, labels, datasets, yTitle, extra = {}) {
  state.charts[id]?.destroy();
  state.charts[id] = new Chart($(id), {
    type: 'bar', data: { labels, datasets },
    options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, title: { display: true, text: yTitle } } }, ...extra },
  });
}

async function fleetDashboard() {
  if (state.ready.fleet) return;
  const [rep, size] = await Promise.all([api('/fleet/report'), api('/fleet/size')]);
  if (!rep.ok) { $('fleet-note').textContent = rep.body?.message || 'The fleet analysis is not available on this server.'; return; }
  const sites = rep.body.sites || [];
  const names = new Map(state.sites.map((s) => [s.key, s.name]));
  const label = (k) => names.get(k) || k || '(no site)';
  $('fleet-note').textContent = `${rep.body.from} to ${rep.body.to}: ${fmt(rep.body.total?.trips)} trips, ${fmt(rep.body.total?.km)} km in ${rep.body.total?.vehicles} vehicles. Working hours ${rep.body.working_hours?.start_hour}:00–${rep.body.working_hours?.end_hour}:00, ${rep.body.working_hours?.days_per_week} days a week.`;
  barChart('chart-util', sites.map((s) => label(s.site)), [
    { label: 'Utilisation in working hours (%)', data: sites.map((s) => 100 * (s.utilisation ?? 0)), backgroundColor: '#1f6fb2' },
    { label: 'Utilisation over 24 h (%)', data: sites.map((s) => 100 * (s.utilisation_24h ?? 0)), backgroundColor: '#9ec3e6' },
  ], '%');
  const ss = size.ok ? size.body.sites || [] : [];
  barChart('chart-size', ss.map((s) => label(s.site)), [
    { label: 'Vehicles now', data: ss.map((s) => s.current_vehicles), backgroundColor: '#8e44ad' },
    { label: 'Fewest that serve every trip', data: ss.map((s) => s.min_vehicles), backgroundColor: '#1e8449' },
  ], 'vehicles');
  const rows = sites.map((s) => {
    const z = ss.find((x) => x.site === s.site) || {};
    return `<tr><td>${esc(label(s.site))}</td><td>${s.vehicles}</td><td>${fmt(s.trips)}</td><td>${fmt(s.km)}</td><td>${fmt(100 * (s.utilisation ?? 0), 1)} %</td><td>${z.min_vehicles ?? '–'}</td></tr>`;
  }).join('');
  $('fleet-table').innerHTML = `<tr><th>Site</th><th>Vehicles</th><th>Trips</th><th>km</th><th>Utilisation</th><th>Needed</th></tr>${rows}`;
  state.ready.fleet = true;
}

async function travelDashboard() {
  if (state.ready.travel) return;
  let r = await api('/travel/report');
  if (!r.ok) { $('travel-note').textContent = r.status === 404 ? 'The travel analysis is not available on this server yet.' : (r.body?.message || 'No travel records.'); state.ready.travel = 'none'; return; }
  const years = (r.body.all?.years || []).map((y) => y.year);
  if (years.length >= 2) { // baseline: the first year; target: -20 % two years after the last
    const target = `${years[years.length - 1] + 2}:-20%`;
    const t = await api(`/travel/report?baseline=${years[0]}&target=${encodeURIComponent(target)}`);
    if (t.ok) r = t;
  }
  const all = r.body.all || {};
  const ys = all.years || [];
  const tg = all.targets || [];
  $('travel-note').textContent = tg.length ? tg.map((t) => `Target ${t.year}: ${fmt(t.target_km)} km (−${t.reduction_pct} % from ${t.baseline_year}); ${t.actual_year}: ${fmt(t.actual_km)} km — ${t.met ? 'met' : `${fmt(t.gap_km)} km still to cut`}.`).join(' ') : 'No target set.';
  barChart('chart-travel', [...ys.map((y) => String(y.year)), ...tg.map((t) => `${t.year} target`)], [
    { label: 'km travelled', data: [...ys.map((y) => y.km), ...tg.map(() => null)], backgroundColor: '#1f6fb2' },
    { label: 'Target km', data: [...ys.map(() => null), ...tg.map((t) => t.target_km)], backgroundColor: '#1e8449' },
  ], 'km');
  const modes = [...new Set(ys.flatMap((y) => (y.by_mode || []).map((m) => m.mode)))];
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  const pretty = (m) => m.charAt(0).toUpperCase() + m.slice(1).replace(/_/g, ' ');
  barChart('chart-modes', ys.map((y) => String(y.year)), modes.map((m, i) => ({ label: pretty(m), backgroundColor: palette[i % palette.length],
    data: ys.map((y) => (y.by_mode || []).find((x) => x.mode === m)?.km ?? 0) })), 'km', { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } });
  state.ready.travel = true;
}

function showView(name) {
  for (const b of document.querySelectorAll('#tabs button')) b.setAttribute('aria-selected', String(b.dataset.view === name));
  for (const v of document.querySelectorAll('.view')) v.classList.toggle('active', v.id === `view-${name}`);
  if (name === 'map') state.map.invalidateSize();
  if (name === 'fleet') fleetDashboard();
  if (name === 'travel') travelDashboard();
}

async function main() {
  state.renderer = L.canvas({ padding: 0.3, tolerance: 4 });
  state.map = L.map('map', { preferCanvas: true, fadeAnimation: false, renderer: state.renderer, zoomControl: true, attributionControl: true, minZoom: 10, maxZoom: 19 });
  state.map.attributionControl.setPrefix(false).addAttribution('Roads © OpenStreetMap contributors, ODbL');
  state.map.setView([59.9, 10.76], 13);
  state.map.on('click', onMapClick);
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => showView(b.dataset.view));
  $('plan-run').addEventListener('click', planRound);
  const health = await api('/health');
  await drawRoads();
  const hasData = health.body?.data ? await drawData() : false;
  if (hasData) {
    await toggle('layer-sites', 'sites')();
    await toggle('layer-vehicles', 'vehicles')();
    await toggle('layer-density', 'density', densityLayer)();
  } else {
    for (const id of ['layer-sites', 'layer-vehicles', 'layer-density', 'plan-run']) $(id).disabled = true;
  }
  toggle('layer-plan', 'plan');
  if (hasData) await toggle('layer-pool', 'pool', poolLayer)();
  else $('layer-pool').disabled = true;
  const g = health.body?.graph;
  status(g ? `${g.profile} network: ${fmt(g.segments)} road segments${health.body.data ? `; ${health.body.data.sites} sites, ${health.body.data.vehicles} vehicles, ${fmt(health.body.data.trips)} trips` : ''}` : 'No road network');
  state.ready.all = true;
  document.body.dataset.ready = '1';
}

main().catch((e) => { status(`Error: ${e.message}`); throw e; });
