// How namespace drives appear as NT devices. A namespace drive is a host directory, not a volume,
// so the name is a convention: drive letter X is "\Device\HarddiskVolumeN" with N = X - 'A' + 1.
// C: is therefore \Device\HarddiskVolume3, the name C: most often has on real Windows installs
// (EFI and recovery partitions take 1 and 2), and every letter has a stable, distinct device.
// Used for ProcessImageFileName and anywhere else Windows reports a device-form path.
#pragma once

#include <string>
#include <string_view>

namespace ireactor {

// "\Device\HarddiskVolume3" for 'C' or 'c'; empty for a character that is not a letter.
std::u16string volume_device_name(char16_t drive_letter);

// "\??\C:\dir\a.exe" (or "\DosDevices\C:\..." / "C:\...") -> "\Device\HarddiskVolume3\dir\a.exe";
// "\??\UNC\server\share\x" -> "\Device\Mup\server\share\x". Other paths come back unchanged.
std::u16string nt_device_path_from_dos_path(std::u16string_view path);

// "\??\C:\dir\a.exe" -> "C:\dir\a.exe"; "\??\UNC\server\share\x" -> "\\server\share\x".
// Other paths come back unchanged.
std::u16string win32_path_from_nt_path(std::u16string_view path);

}  // namespace ireactor
