"""The Debian package around the bundle: ``petition-hall_<version>_amd64.deb``.

    python build/deb/make_deb.py BUNDLE_DIR ICON_DIR OUT_DIR

Installs the bundle to /opt/petition-hall with /usr/bin/petition-hall, a menu entry per role,
autostart examples for kiosk and display machines under /usr/share/doc (see README.Debian),
and declares as Depends the packages that provide every system library the bundle's binaries
load (found with ldd and dpkg -S on the building machine, as dpkg-shlibdeps would) plus the
Chinese font of the screens.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PREFIX = Path("opt/petition-hall")

#: (role, its name on the menu, what it is for)
ROLES = (
    ("kiosk", "自助服务终端", "信访人自助登记、查询办理进度"),
    ("counter", "接待窗口", "接待窗口工作人员登记、受理、办理"),
    ("leader", "领导接访", "领导接访日的接访与交办"),
    ("display", "大厅信息屏", "大厅叫号与信息显示"),
    ("admin", "系统管理", "账户、设备、参考数据与节假日管理"),
)
AUTOSTART = ("kiosk", "display")
#: Packages the bundle needs that no binary names: the screens' Chinese font.
ALWAYS = ("fonts-wqy-microhei",)


def version() -> str:
    text = (REPO / "desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    assert found is not None
    return found.group(1)


def desktop_entry(role: str, name: str, comment: str, *, autostart: bool = False) -> str:
    lines = [
        "[Desktop Entry]", "Type=Application", f"Name=信访接待大厅 · {name}", f"Name[zh_CN]=信访接待大厅 · {name}",
        f"GenericName=信访接待大厅系统", f"Comment={comment}", f"Comment[zh_CN]={comment}",
        f"Exec=/usr/bin/petition-hall run --role {role}", "Icon=petition-hall", "Terminal=false",
        "Categories=Office;", "StartupNotify=true",
    ]
    if autostart:
        lines += ["X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-Delay=5"]
    return "\n".join(lines) + "\n"


def _elf_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libraries(bundle: Path) -> tuple[set[str], set[str]]:
    """(paths of the system libraries the bundle's binaries name themselves, names found nowhere).

    Only direct needs (DT_NEEDED), as dpkg-shlibdeps does: what those libraries need in turn
    their own packages declare.
    """
    used: set[str] = set()
    missing: set[str] = set()
    inside = bundle.resolve()
    env = dict(os.environ, LD_LIBRARY_PATH=str(bundle / "_internal"))
    for path in _elf_files(bundle):
        dynamic = subprocess.run(["readelf", "-d", "-W", str(path)], capture_output=True, text=True,
                                 check=False).stdout
        needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
        if not needed:
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env, check=False).stdout
        for line in out.splitlines():
            match = re.match(r"\s*(\S+) => (\S+|not found)", line)
            if match is None or match.group(1) not in needed:
                continue
            name, where = match.groups()
            if where == "not found":
                missing.add(f"{name}（{path.relative_to(bundle)}）")
            elif not Path(where).resolve().is_relative_to(inside):
                used.add(where)
    return used, missing


def owning_packages(paths: set[str]) -> set[str]:
    """The installed packages that own ``paths`` (merged /usr or not)."""
    candidates: dict[str, str] = {}
    for path in paths:
        for candidate in {path, str(Path(path).resolve())}:
            candidates[candidate] = path
            if not candidate.startswith("/usr/"):
                candidates["/usr" + candidate] = path
    done = subprocess.run(["dpkg", "-S", *sorted(candidates)], capture_output=True, text=True, check=False)
    packages: set[str] = set()
    owned: set[str] = set()
    for line in done.stdout.splitlines():
        owners, _, file = line.partition(": ")
        if file in candidates:
            owned.add(candidates[file])
            packages |= {p.split(":")[0].strip() for p in owners.split(",")}
    for path in sorted(paths - owned):
        print(f"注意：{path} 不属于任何已安装的软件包，未写入依赖", file=sys.stderr)
    return packages


def depends(bundle: Path) -> str:
    libraries, missing = system_libraries(bundle)
    if missing:
        print("注意：本机缺少以下库，相应插件在本机不能加载：" + "、".join(sorted(missing)), file=sys.stderr)
    packages = owning_packages(libraries) | set(ALWAYS)
    glibc = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libc6"], capture_output=True, text=True,
                           check=True).stdout.split("-")[0]
    return ", ".join(f"{p} (>= {glibc})" if p == "libc6" else p for p in sorted(packages))


def build(bundle: Path, icons: Path, out: Path) -> Path:
    stage = out / "deb-root"
    shutil.rmtree(stage, ignore_errors=True)
    target = stage / PREFIX
    target.parent.mkdir(parents=True)
    shutil.copytree(bundle, target, symlinks=True)
    (stage / "usr/bin").mkdir(parents=True)
    shutil.copy2(HERE / "petition-hall.sh", stage / "usr/bin/petition-hall")
    applications = stage / "usr/share/applications"
    applications.mkdir(parents=True)
    doc = stage / "usr/share/doc/petition-hall"
    (doc / "examples/autostart").mkdir(parents=True)
    for role, name, comment in ROLES:
        (applications / f"petition-hall-{role}.desktop").write_text(desktop_entry(role, name, comment),
                                                                      encoding="utf-8")
        if role in AUTOSTART:
            (doc / "examples/autostart" / f"petition-hall-{role}.desktop").write_text(
                desktop_entry(role, name, comment, autostart=True), encoding="utf-8")
    shutil.copy2(HERE / "README.Debian", doc / "README.Debian")
    shutil.copy2(REPO / "resources/fonts/LICENSE-wqy-microhei.txt", doc / "LICENSE-wqy-microhei.txt")
    shutil.copy2(REPO / "resources/pinyin/LICENSE-pypinyin.txt", doc / "LICENSE-pypinyin.txt")
    icon_dir = stage / "usr/share/icons/hicolor/256x256/apps"
    icon_dir.mkdir(parents=True)
    shutil.copy2(icons / "petition-hall.png", icon_dir / "petition-hall.png")
    control = stage / "DEBIAN"
    control.mkdir()
    size_kb = sum(p.stat().st_size for p in stage.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    (control / "control").write_text(
        (HERE / "control.in").read_text(encoding="utf-8")
        .replace("@VERSION@", version())
        .replace("@MAINTAINER@", os.environ.get("DEB_MAINTAINER", "信访接待大厅系统维护组 <support@example.gov.cn>"))
        .replace("@SIZE_KB@", str(size_kb))
        .replace("@DEPENDS@", depends(bundle)), encoding="utf-8")
    for script in ("postinst", "prerm"):
        shutil.copy2(HERE / script, control / script)
        (control / script).chmod(0o755)
    for path in stage.rglob("*"):  # root-owned, world-readable, as dpkg expects
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    deb = out / f"petition-hall_{version()}_amd64.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage), str(deb)], check=True,
                   stdout=subprocess.DEVNULL)
    shutil.rmtree(stage)
    return deb


if __name__ == "__main__":
    made = build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    print(made)
