#!/usr/bin/env bash
# Back up the notes folder to the external disk, keeping 14 daily snapshots with hard links.
set -euo pipefail

source_dir="${HOME}/notes"
backup_root="/media/backup/notes"
today="$(date +%F)"
latest="${backup_root}/latest"

mkdir -p "${backup_root}"
rsync -a --delete --link-dest="${latest}" "${source_dir}/" "${backup_root}/${today}/"
ln -sfn "${backup_root}/${today}" "${latest}"

# Keep the newest 14 snapshots.
ls -1d "${backup_root}"/20* | sort | head -n -14 | xargs -r rm -rf
echo "backup of ${source_dir} done: ${backup_root}/${today}"
