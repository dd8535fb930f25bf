/* Sorting of the league table, added to a table that reads well without
 * it: each header becomes a button; a second press turns the order. */
(function () {
  'use strict';
  function value(row, column, numeric) {
    var cell = row.children[column];
    var v = cell ? cell.getAttribute('data-value') || cell.textContent : '';
    return numeric ? parseFloat(v) || 0 : v;
  }
  function sortBy(table, th, column) {
    var numeric = th.getAttribute('data-sort') === 'number';
    var ascending = th.getAttribute('aria-sort') === 'descending' ||
      (th.getAttribute('aria-sort') !== 'ascending' && column < 2);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, column, numeric), y = value(b, column, numeric);
      var order = numeric ? x - y : String(x).localeCompare(String(y), 'zh-Hans-CN');
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  }
  document.querySelectorAll('table[data-sortable]').forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      if (!th.hasAttribute('data-sort')) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      button.setAttribute('aria-label', '按' + th.textContent + '排序');
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () { sortBy(table, th, column); });
    });
    table.tHead.rows[0].cells[0].setAttribute('aria-sort', 'ascending');
  });
})();
