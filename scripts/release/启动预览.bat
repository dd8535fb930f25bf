@echo off
chcp 65001 >nul
cd /d "%~dp0"
echo 正在生成网站预览，稍等几秒浏览器会自动打开。
echo 预览期间请不要关闭这个黑色窗口；关闭它，预览就停止。
start "" /b cmd /c "timeout /t 3 /nobreak >nul & start http://127.0.0.1:1111/"
streetpress.exe serve
echo.
echo 预览已经停止。如果上面有红色或“错误”字样，请按提示修改文件后再双击启动预览.bat。
pause
