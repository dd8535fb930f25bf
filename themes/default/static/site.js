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

  /* A table or chart wider than its column scrolls inside its .table-wrap or
   * .chart-wrap box. Such a box must be reachable by keyboard, have a name,
   * and say that it scrolls; whether it scrolls depends on the screen and the
   * text size, so look again when either changes. */
  function markScrollers() {
    document.querySelectorAll('.table-wrap, .chart-wrap').forEach(function (box) {
      var hint = box.previousElementSibling;
      var hinted = hint && hint.classList.contains('scroll-hint');
      var wide = box.scrollWidth > box.clientWidth + 1;
      if (wide && !hinted) {
        hint = document.createElement('p');
        hint.className = 'scroll-hint';
        hint.textContent = box.getAttribute('data-hint') || '表格较宽，可左右滑动查看';
        box.parentNode.insertBefore(hint, box);
      } else if (!wide && hinted) {
        hint.parentNode.removeChild(hint);
      }
      if (wide) {
        box.tabIndex = 0;
        if (box.tagName !== 'SECTION' && !box.hasAttribute('role')) box.setAttribute('role', 'region');
        if (!box.hasAttribute('aria-label')) {
          var caption = box.querySelector('caption');
          box.setAttribute('aria-label', (caption ? caption.textContent.trim() : '表格') + '（可左右滑动）');
        }
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.reader-tools').forEach(function (tools) { tools.hidden = false; });
    document.querySelectorAll('[data-font]').forEach(function (button) {
      button.addEventListener('click', function () { write('sp-font', button.getAttribute('data-font')); apply(); markScrollers(); });
    });
    document.querySelectorAll('[data-care]').forEach(function (button) {
      button.addEventListener('click', function () { write('sp-care', read('sp-care') === '1' ? '0' : '1'); apply(); markScrollers(); });
    });
    document.querySelectorAll('[data-print]').forEach(function (button) {
      button.hidden = false;
      button.addEventListener('click', function () { window.print(); });
    });
    apply();
    markScrollers();
    window.addEventListener('resize', markScrollers);
  });
})();
