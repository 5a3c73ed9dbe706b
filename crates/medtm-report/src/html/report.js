// medtm report: sorting and filtering of tables, and opening collapsed blocks for printing.
// The page reads the same without this script. It carries no data of its own: it reads the
// cells of the tables it sorts (a cell's data-sort attribute, else its text).
(function () {
  "use strict";

  function key(cell) {
    var sort = cell.getAttribute("data-sort");
    return sort === null ? cell.textContent.trim() : sort;
  }

  function compare(a, b) {
    var x = Number(a);
    var y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) {
      return x - y;
    }
    return a.localeCompare(b);
  }

  function sortable(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    Array.prototype.forEach.call(body.rows, function (row, index) {
      row.setAttribute("data-order", String(index));
    });
    headers.forEach(function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      while (header.firstChild) {
        button.appendChild(header.firstChild);
      }
      header.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) {
          other.removeAttribute("aria-sort");
        });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r, s) {
          var order = compare(key(r.cells[column]), key(s.cells[column]));
          return (ascending ? order : -order) || Number(r.dataset.order) - Number(s.dataset.order);
        });
        rows.forEach(function (row) {
          body.appendChild(row);
        });
      });
    });
  }

  function filterable(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table) {
      return;
    }
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var output = form.querySelector("output");
    function apply() {
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var shown = 0;
      var active = selects.filter(function (select) {
        return select.value !== "";
      });
      rows.forEach(function (row) {
        var keep = active.every(function (select) {
          return row.getAttribute("data-" + select.name) === select.value;
        });
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      // Said only while filtering, and printed then too, so a filtered printout says so.
      output.textContent = active.length === 0 ? "" : "Filtered: " + shown + " of " + rows.length + " findings shown";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  document.querySelectorAll("table.sortable").forEach(sortable);
  document.querySelectorAll("form.filters").forEach(filterable);

  // On paper every collapsed block is open; afterwards they are as they were.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    closed.forEach(function (details) {
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (details) {
      details.open = false;
    });
    closed = [];
  });
})();
