#!/usr/bin/env python3
"""Fetches an evaluation set's sources: pinned PyPI sdists, never committed.

    python3 Tests/Eval/fetch_sources.py SET_FOLDER CACHE_FOLDER

SET_FOLDER/sources.tsv names one sdist a line: `name<TAB>version<TAB>sha256 of the sdist file`
(`#` lines are comments). Each is downloaded with `pip download --no-deps --no-binary :all:`,
checked against its sha256, and unpacked into CACHE_FOLDER/<set>/<name>-<version>/ (the sdist's own
top folder removed), so the paths in SET_FOLDER/queries.jsonl read `<name>-<version>/src/...`.
An sdist is a release, not a git work tree: the `.gitignore` files some carry (ujson's ignores its own
`lib/`, the C library it ships) are removed, so every shipped file is indexed.
Prints the corpus folder (CACHE_FOLDER/<set>) on its last line. Already unpacked sdists are kept.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile


def read_sources(set_folder):
    sources = []
    with open(os.path.join(set_folder, "sources.tsv"), encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 3:
                sys.exit(f"{set_folder}/sources.tsv:{number}: expected name<TAB>version<TAB>sha256, got {line!r}")
            sources.append(tuple(fields))
    return sources


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_from_pypi(name, version, downloads):
    """The sdist's archive straight from PyPI's JSON API (the sha256 pin is checked by the caller)."""
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=60) as response:
        project = json.load(response)
    files = project.get("releases", {}).get(version) or (project["urls"] if project["info"]["version"] == version else [])
    sdists = [u for u in files if u["packagetype"] == "sdist"]
    if not sdists:
        sys.exit(f"{name}=={version}: PyPI lists no sdist")
    url = "https://files.pythonhosted.org/packages/" + sdists[0]["url"].split("/packages/")[-1]
    with urllib.request.urlopen(url, timeout=180) as response, open(os.path.join(downloads, sdists[0]["filename"]), "wb") as out:
        shutil.copyfileobj(response, out)


def safe_members_tar(archive):
    for member in archive.getmembers():
        name = member.name
        if name.startswith("/") or ".." in name.split("/") or not (member.isfile() or member.isdir()):
            continue
        yield member


def unpack(archive_path, destination):
    staging = tempfile.mkdtemp(dir=os.path.dirname(destination))
    try:
        if archive_path.endswith(".zip"):
            with zipfile.ZipFile(archive_path) as archive:
                for info in archive.infolist():
                    if info.filename.startswith("/") or ".." in info.filename.split("/"):
                        continue
                    archive.extract(info, staging)
        else:
            with tarfile.open(archive_path) as archive:
                archive.extractall(staging, members=safe_members_tar(archive))
        entries = os.listdir(staging)
        top = os.path.join(staging, entries[0]) if len(entries) == 1 and os.path.isdir(os.path.join(staging, entries[0])) else staging
        for folder, _, files in os.walk(top):
            for name in files:
                if name in (".gitignore", ".ignore"):
                    os.remove(os.path.join(folder, name))
        os.rename(top, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    set_folder, cache = sys.argv[1], sys.argv[2]
    set_name = os.path.basename(os.path.normpath(set_folder))
    corpus = os.path.join(cache, set_name)
    downloads = os.path.join(cache, "sdists")
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(downloads, exist_ok=True)
    for name, version, expected in read_sources(set_folder):
        destination = os.path.join(corpus, f"{name}-{version}")
        if os.path.isdir(destination):
            continue
        found = [f for f in os.listdir(downloads) if f.lower().replace("_", "-").startswith(f"{name}-{version}".lower().replace("_", "-"))]
        if not found:
            try:
                subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                                "-d", downloads, f"{name}=={version}"], check=True)
            except subprocess.CalledProcessError:
                # pip prepares an sdist's metadata, which for a Rust package means building maturin first; the
                # archive itself is all we need.
                download_from_pypi(name, version, downloads)
            found = [f for f in os.listdir(downloads) if f.lower().replace("_", "-").startswith(f"{name}-{version}".lower().replace("_", "-"))]
        if not found:
            sys.exit(f"{name}=={version}: pip downloaded no sdist into {downloads}")
        archive = os.path.join(downloads, found[0])
        actual = sha256(archive)
        if actual != expected:
            sys.exit(f"{archive}: sha256 {actual}, sources.tsv says {expected}; delete the file to fetch it again, or fix the pin")
        unpack(archive, destination)
    print(corpus)


if __name__ == "__main__":
    main()
