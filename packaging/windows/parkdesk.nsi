; ParkDesk (园区工作台) Windows installer — NSIS 3, Unicode, Chinese interface.
;
; Installs the PyInstaller onedir build (dist\parkdesk) for the current user
; (no administrator rights needed) or for all users of the machine, with
; start-menu and desktop shortcuts and an uninstaller that keeps the user's
; data: %LOCALAPPDATA%\ParkDesk (databases, backups, logs) is never touched.
;
;   makensis -DVERSION=0.1.0 -DSRCDIR=..\..\dist\parkdesk packaging\windows\parkdesk.nsi
;
; makensis works in this folder: relative paths below and in -D defines are
; relative to packaging\windows.
; Defines: VERSION (required, from parkdesk/__init__.py), SRCDIR (the onedir
; build, default ..\..\dist\parkdesk relative to this file), OUTFILE (default
; ..\..\dist\ParkDesk-<VERSION>-win64-setup.exe), VIVERSION (x.x.x.x; derived
; from VERSION when it is plain numbers).
; Silent installs: setup.exe /S [/CurrentUser | /AllUsers] [/D=C:\path].

Unicode true
SetCompressor /SOLID lzma
ManifestDPIAware true

!ifndef VERSION
  !error "pass the version: makensis -DVERSION=x.y.z ..."
!endif
!ifndef SRCDIR
  !define SRCDIR "../../dist/parkdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "../../dist/ParkDesk-${VERSION}-win64-setup.exe"
!endif
!ifndef VIVERSION
  ; "1.2.3" -> "1.2.3.0"; a version with letters needs -DVIVERSION=1.2.3.0
  !searchparse /noerrors "${VERSION}" "" V_MAJOR "." V_MINOR "." V_PATCH
  !ifndef V_MINOR
    !define V_MINOR 0
  !endif
  !ifndef V_PATCH
    !define V_PATCH 0
  !endif
  !define VIVERSION "${V_MAJOR}.${V_MINOR}.${V_PATCH}.0"
!endif

!define APP_NAME "园区工作台 ParkDesk"
!define APP_SHORTCUT "园区工作台"
!define APP_EXE "parkdesk.exe"
!define APP_KEY "ParkDesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_KEY}"
!define SETTINGS_KEY "Software\ParkDesk\Installer"
!define ICON "../../resources/icons/parkdesk.ico"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"

; --- per-user or per-machine -------------------------------------------------------
!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_INSTDIR "ParkDesk"
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${SETTINGS_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${SETTINGS_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallMode"
!include MultiUser.nsh
!include MUI2.nsh
!include LogicLib.nsh
!include WinVer.nsh
!include x64.nsh

; --- version information ------------------------------------------------------------------
VIProductVersion "${VIVERSION}"
VIFileVersion "${VIVERSION}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "ParkDesk"
VIAddVersionKey /LANG=2052 "LegalCopyright" "ParkDesk"

; --- interface ----------------------------------------------------------------------------------
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "安装向导将在本机安装 ${APP_NAME} ${VERSION}。$\r$\n$\r$\n园区经济指标、项目台账、工作计划与年度工作总结，离线使用，无需联网。$\r$\n$\r$\n$_CLICK"
; "运行" calls a function instead of starting the program from this (possibly elevated) installer.
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "运行 ${APP_SHORTCUT}"
!define MUI_FINISHPAGE_RUN_FUNCTION RunAsSignedInUser
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从本机卸载 ${APP_NAME}。您的数据（%LOCALAPPDATA%\ParkDesk 中的数据库、备份和日志）会保留，不会被删除。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

; --- install ------------------------------------------------------------------------------------
Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} 需要 64 位 Windows 10 或 Windows 11。$\r$\n（Qt 6 不支持 Windows 7。）"
    Abort
  ${EndIf}
  SetRegView 64
  !insertmacro MULTIUSER_INIT
FunctionEnd

Section "${APP_NAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An update replaces the program files; a stale _internal from an older version must not linger.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}/*.*"

  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS"
  CreateShortcut "$SMPROGRAMS\${APP_SHORTCUT}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$DESKTOP\${APP_SHORTCUT}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  ; Remember where and for whom it was installed (MultiUser reads these back).
  WriteRegStr SHCTX "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${SETTINGS_KEY}" "InstallMode" "$MultiUser.InstallMode"

  ; Programs and Features entry.
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "ParkDesk"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Function RunAsSignedInUser
  ; The installer runs elevated for an all-users install (and for an administrator's account):
  ; a program it starts would be elevated too and write its settings and data as the
  ; administrator. Explorer runs as the signed-in user and starts the program unelevated,
  ; as the shortcuts do. (No plug-in needed, so the build stays offline.)
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\${APP_EXE}"'
FunctionEnd

Function .onInstSuccess
  ; Size shown in Programs and Features, in KB.
  SectionGetSize ${SecMain} $0
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" $0
FunctionEnd

; --- uninstall ----------------------------------------------------------------------------------
Function un.onInit
  SetRegView 64
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_SHORTCUT}.lnk"
  Delete "$DESKTOP\${APP_SHORTCUT}.lnk"

  ; Only what the installer put there: never RMDir /r $INSTDIR (it may be a folder the
  ; clerk chose with other files in it), and never the data in %LOCALAPPDATA%\ParkDesk.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DeleteRegKey SHCTX "${SETTINGS_KEY}"
  DeleteRegKey /ifempty SHCTX "Software\ParkDesk"
SectionEnd
