// Progressive enhancement of the asset map pages. Everything here has a
// non-JavaScript equivalent: the list beside the map, and typed coordinates
// or a ward in the submission form.
//
// Leaflet, its clustering plugin and their stylesheet are not on the page's
// critical path: this module loads them itself, once a map's box (reserved
// by css/assetmap.css, so nothing moves) comes near the viewport, and the
// location picker straight away. The page and the list paint without them.

const loader = document.querySelector("script[data-leaflet]");
let L;
let icon;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}

function loadStylesheet(href) {
  return new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.onload = resolve;
    link.onerror = reject;
    document.head.append(link);
  });
}

// One load for every map on the page; the plugin only where markers cluster.
let leafletLoaded;
function loadLeaflet() {
  leafletLoaded ??= Promise.all([
    loadStylesheet(loader.dataset.leafletCss),
    loadScript(loader.dataset.leaflet).then(() =>
      document.querySelector("[data-points-url]") ? loadScript(loader.dataset.cluster) : null,
    ),
  ]).then(() => {
    L = window.L;
    icon = markerIcon();
  });
  return leafletLoaded;
}

// Leaflet finds its default marker images from its stylesheet's address,
// which fails once the images have hashed names; the page names them.
function markerIcon() {
  return L.icon({
    ...L.Icon.Default.prototype.options,
    iconUrl: loader.dataset.markerIcon,
    iconRetinaUrl: loader.dataset.markerRetina,
    shadowUrl: loader.dataset.markerShadow,
  });
}

function boundsOf(element) {
  const [south, west, north, east] = element.dataset.bounds.split(",").map(Number);
  return L.latLngBounds([south, west], [north, east]);
}

function baseMap(element, options = {}) {
  element.textContent = "";
  const bounds = boundsOf(element);
  // maxZoom on the map itself: clustering needs it even when no tile layer sets one.
  const map = L.map(element, { maxBounds: bounds.pad(0.5), maxZoom: 19, ...options });
  map.fitBounds(bounds);
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.attribution || "",
      maxZoom: 19,
    }).addTo(map);
  } else {
    // No tile server configured: the borough's outline on a plain background.
    element.classList.add("assetmap-map--plain");
    L.rectangle(bounds, { color: "#505a5f", weight: 1, fill: false, interactive: false }).addTo(map);
  }
  return map;
}

function popupContent(asset) {
  const box = document.createElement("div");
  const title = document.createElement("p");
  title.className = "assetmap-popup__title";
  const link = document.createElement("a");
  link.href = asset.url;
  link.textContent = asset.name;
  title.append(link);
  const meta = document.createElement("p");
  meta.className = "assetmap-popup__meta";
  meta.textContent = `${asset.kind} · ${asset.category} · ${asset.ward}`;
  const summary = document.createElement("p");
  summary.textContent = asset.summary;
  box.append(title, meta, summary);
  if (asset.address) {
    const address = document.createElement("p");
    address.textContent = asset.address;
    box.append(address);
  }
  return box;
}

async function assetMap(element) {
  const map = baseMap(element);
  // Markers are added in short slices, so the page stays responsive while a
  // large map fills (one long task would block input for a second on a phone).
  const cluster = L.markerClusterGroup({
    showCoverageOnHover: false,
    chunkedLoading: true,
    chunkInterval: 10,
    chunkDelay: 10,
  });
  map.addLayer(cluster);
  const response = await fetch(element.dataset.pointsUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const { points } = await response.json();
  const detailUrl = element.dataset.detailUrl;
  const markers = points.map(([id, lon, lat]) => {
    const marker = L.marker([lat, lon], { alt: "Asset", keyboard: true, icon });
    marker.bindPopup("Loading…");
    marker.on("popupopen", async () => {
      if (marker.loaded) return;
      const detail = await fetch(detailUrl.replace("{id}", id));
      if (!detail.ok) {
        marker.setPopupContent("This asset could not be loaded.");
        return;
      }
      const asset = await detail.json();
      marker.loaded = true;
      marker.setPopupContent(popupContent(asset));
      const element = marker.getElement();
      if (element) element.setAttribute("alt", asset.name);
    });
    return marker;
  });
  cluster.addLayers(markers);
}

function singleMap(element) {
  const [lat, lon] = element.dataset.single.split(",").map(Number);
  const map = baseMap(element, { scrollWheelZoom: false });
  L.marker([lat, lon], { alt: element.getAttribute("aria-label"), icon }).addTo(map);
  map.setView([lat, lon], 15);
}

function pickerMap(element) {
  const map = baseMap(element);
  const latInput = document.getElementById("id_latitude");
  const lonInput = document.getElementById("id_longitude");
  if (!latInput || !lonInput) return;
  let marker = null;
  const place = (lat, lon) => {
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.marker([lat, lon], { alt: "The position you chose", icon }).addTo(map);
  };
  const fromInputs = () => {
    const lat = Number.parseFloat(latInput.value);
    const lon = Number.parseFloat(lonInput.value);
    if (Number.isFinite(lat) && Number.isFinite(lon)) place(lat, lon);
  };
  fromInputs();
  latInput.addEventListener("change", fromInputs);
  lonInput.addEventListener("change", fromInputs);
  map.on("click", (event) => {
    latInput.value = event.latlng.lat.toFixed(6);
    lonInput.value = event.latlng.lng.toFixed(6);
    place(event.latlng.lat, event.latlng.lng);
  });
}

function whenNear(element, callback) {
  if (!("IntersectionObserver" in window)) {
    callback();
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      callback();
    },
    { rootMargin: "200px 0px" },
  );
  observer.observe(element);
}

// If Leaflet cannot be loaded the box keeps its text and the list stands alone.
function build(element, builder) {
  loadLeaflet().then(
    () => builder(element),
    () => {},
  );
}

if (loader) {
  for (const element of document.querySelectorAll("[data-points-url]")) {
    whenNear(element, () => build(element, assetMap));
  }
  for (const element of document.querySelectorAll("[data-single]")) {
    whenNear(element, () => build(element, singleMap));
  }
  for (const element of document.querySelectorAll("[data-picker]")) build(element, pickerMap);
}
