; Inno Setup 6 script: the Windows installer for Practitioner Records.
;
; Build the app first (on Windows: .venv\Scripts\pyinstaller --noconfirm --clean
; packaging\practitioner-app.spec), then, from the checkout's root:
;
;     iscc packaging\windows\practitioner-app.iss
;
; which writes dist\practitioner-app-VERSION-windows-x64-setup.exe. Signing: packaging/README.md.
;
; The installer puts the program in the user's own Programs folder by default, so no
; administrator is needed (most NHS and council laptops have none for their users); an
; administrator can choose "install for all users" instead. The vault is never in the program
; folder: it lives in %LOCALAPPDATA%\practitioner-app\vault, which uninstalling leaves alone.

#define AppName "Practitioner Records"
#define AppExe "Practitioner Records.exe"
#define CliExe "practitioner-app.exe"
#define BuildDir "..\..\dist\practitioner-app"
; The version comes from the executable's version resource (packaging/windows/version_info.txt).
#define AppVersion GetVersionNumbersString(AddBackslash(SourcePath) + BuildDir + "\" + CliExe)

[Setup]
; Never change AppId: Windows uses it to recognise an upgrade of the same app.
AppId={{7D816914-EE13-4691-83BD-C14EE0E575BA}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Practitioner Records
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.8 to 6.11 (the pyproject pin) support Windows 10 1809 and later.
MinVersion=10.0.17763
OutputDir=..\..\dist
OutputBaseFilename=practitioner-app-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\practitioner-app.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy before replacing its files (it saves drafts and locks the vault on close).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} self-test"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#CliExe}"" self-test"""; IconFilename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself wrote into its own folder; never the vault.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
