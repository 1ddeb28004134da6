// Live filters: a changed filter or sort runs the search at once.  Without this file the
// "Apply filters" button does the same.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-live-search]");
  if (!form) return;
  document.body.classList.add("live-search");
  // The filters live outside the form element and join it by their form attribute.
  document.addEventListener("change", (event) => {
    const field = event.target;
    if (field.form !== form) return;
    // Typing in the text boxes waits for Enter or the Search button.
    if (field.matches("input[type=search], input[type=text]")) return;
    form.requestSubmit();
  });
});

// Keep shared links short: leave out the fields that say nothing.
document.addEventListener("formdata", (event) => {
  if (!event.target.matches("form[data-live-search]")) return;
  const data = event.formData;
  for (const [name, value] of [...data.entries()]) {
    if (value === "") data.delete(name);
  }
  if (!data.get("near")) data.delete("radius_km");
  if (data.get("sort") === "relevance") data.delete("sort");
});
