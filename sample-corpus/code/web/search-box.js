import { debounce, LatestOnly } from "./debounce.js";

const input = document.querySelector("#search");
const list = document.querySelector("#results");
const latest = new LatestOnly();

function render(results) {
  list.replaceChildren(
    ...results.map((result) => {
      const item = document.createElement("li");
      item.textContent = `${result.title} — ${result.url}`;
      return item;
    }),
  );
}

input.addEventListener(
  "input",
  debounce(async () => {
    const query = input.value.trim();
    if (query === "") return render([]);
    const response = await latest.fetch(`/bookmarks?q=${encodeURIComponent(query)}`);
    if (response) render(await response.json());
  }, 150),
);
