//! Tells whether a directory is on a network (or FUSE) file system, where SQLite's WAL mode is
//! unsafe: WAL shares an index in memory-mapped `-shm` pages, which only works for processes on
//! one host, and such file systems often emulate POSIX locks poorly.
//!
//! One `statfs(2)` on the directory itself, compared with the kernel's magic numbers
//! (`linux/magic.h`). Unlike reading `/proc/self/mountinfo`, it needs no longest-prefix matching
//! of mount points, no unescaping of `\040`, and follows symlinks, bind mounts and automounts
//! the way the kernel does when SQLite opens the file.

use std::path::Path;

/// Magic numbers of file systems on which the store avoids WAL, with the name a notice uses.
const NETWORK_MAGICS: &[(u32, &str)] = &[
    (0x6969, "NFS"),
    (0x517B, "SMB"),
    (0xFF53_4D42, "CIFS/SMB"),
    (0xFE53_4D42, "SMB2/SMB3"),
    (0x6573_5546, "FUSE (sshfs or similar)"),
    (0x5346_414F, "AFS"),
    (0x6B41_4653, "AFS"),
    (0x00C3_6400, "Ceph"),
    (0x0102_1997, "9P"),
    (0x7375_7245, "Coda"),
    (0x0BD0_0BD0, "Lustre"),
    (0x4750_4653, "GPFS"),
    (0x564C, "NCP"),
    (0x786F_4256, "VirtualBox shared folder"),
];

/// The name of the network file system a `statfs` magic number belongs to, or `None` for a
/// local one (ext4, xfs, btrfs, tmpfs, overlay…).
pub(crate) fn network_fs_name(magic: u32) -> Option<&'static str> {
    NETWORK_MAGICS
        .iter()
        .find(|(known, _)| *known == magic)
        .map(|(_, name)| *name)
}

/// The 32-bit magic number in `statfs.f_type`, which is an `i64`, a `u32` or a C `long` depending
/// on the target (so CIFS's `0xFF534D42` arrives negative where it is 32-bit signed).
fn magic(f_type: i128) -> u32 {
    (f_type & 0xFFFF_FFFF) as u32
}

/// The network file system `dir` is on, `None` if it is local or cannot be told.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn network_fs_of(dir: &Path) -> Option<&'static str> {
    match rustix::fs::statfs(dir) {
        Ok(stat) => network_fs_name(magic(stat.f_type.into())),
        Err(errno) => {
            tracing::debug!(%errno, "statfs on the store directory failed; assuming a local disk");
            None
        }
    }
}

/// Other systems report file systems differently; they are assumed local.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) fn network_fs_of(_dir: &Path) -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_magic_numbers_are_recognised_and_local_ones_are_not() {
        assert_eq!(network_fs_name(0x6969), Some("NFS"));
        assert_eq!(network_fs_name(0xFF53_4D42), Some("CIFS/SMB"));
        assert_eq!(network_fs_name(0xFE53_4D42), Some("SMB2/SMB3"));
        assert_eq!(
            network_fs_name(0x6573_5546),
            Some("FUSE (sshfs or similar)")
        );
        // ext2/3/4, xfs, btrfs, tmpfs, overlayfs, zfs.
        for local in [
            0xEF53,
            0x5846_5342,
            0x9123_683E,
            0x0102_1994,
            0x794C_7630,
            0x2FC1_2FC1,
        ] {
            assert_eq!(
                network_fs_name(local),
                None,
                "{local:#x} is a local file system"
            );
        }
    }

    #[test]
    fn f_type_of_any_width_and_sign_reads_as_its_32_bit_magic() {
        // Where f_type is a 32-bit signed long, CIFS's magic arrives negative.
        let cifs_as_i32 = i32::from_ne_bytes(0xFF53_4D42_u32.to_ne_bytes());
        assert!(cifs_as_i32 < 0);
        assert_eq!(network_fs_name(magic(cifs_as_i32.into())), Some("CIFS/SMB"));
        assert_eq!(network_fs_name(magic(0x6969_i64.into())), Some("NFS"));
        assert_eq!(network_fs_name(magic(0xEF53_u32.into())), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_real_statfs_reads_the_magic_of_the_file_system() {
        // /proc is always mounted and always procfs (0x9fa0): the real call, the real struct.
        let stat = rustix::fs::statfs("/proc").expect("statfs /proc");
        assert_eq!(magic(stat.f_type.into()), 0x9FA0);
        assert_eq!(network_fs_of(Path::new("/proc")), None);
    }
}
