/* Reader settings: font size (小/中/大) and care mode (关怀模式), remembered
 * across pages in localStorage. The page reads fine without this script;
 * the toolbar only appears when it runs. */
(function () {
  'use strict';
  var root = document.documentElement;
  var sizes = ['small', 'medium', 'large'];

  function read(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function write(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }

  function currentFont() { return read('sp-font') || 'medium'; }

  function apply() {
    var font = currentFont();
    sizes.forEach(function (size) { root.classList.toggle('font-' + size, size === font); });
    var care = read('sp-care') === '1';
    root.classList.toggle('care', care);
    document.querySelectorAll('[data-font]').forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-font') === font));
    });
    document.querySelectorAll('[data-care]').forEach(function (button) {
      button.setAttribute('aria-pressed', String(care));
      button.textContent = care ? '退出关怀模式' : '关怀模式';
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.reader-tools').forEach(function (tools) { tools.hidden = false; });
    document.querySelectorAll('[data-font]').forEach(function (button) {
      button.addEventListener('click', function () { write('sp-font', button.getAttribute('data-font')); apply(); });
    });
    document.querySelectorAll('[data-care]').forEach(function (button) {
      button.addEventListener('click', function () { write('sp-care', read('sp-care') === '1' ? '0' : '1'); apply(); });
    });
    document.querySelectorAll('[data-print]').forEach(function (button) {
      button.hidden = false;
      button.addEventListener('click', function () { window.print(); });
    });
    apply();
  });
})();
