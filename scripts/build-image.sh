#!/usr/bin/env bash
# Builds LazyMesh's image without a registry or a container engine, from Debian packages and the published app,
# then checks it:
#   1. the app: a self-contained `dotnet publish` for linux-x64 (the .NET runtime comes from NuGet, no base image);
#   2. the root filesystem: `mmdebstrap --variant=extract` of Debian with only the native libraries .NET needs
#      (libc, ICU, OpenSSL, zlib, libstdc++, CA certificates, tzdata), plus /app and the non-root user 65532;
#   3. the image: an OCI layout built with `umoci` (one layer; config: user 65532, entrypoint /app/lazymesh) and an
#      OCI archive (`skopeo copy` when present, else a tar of the layout);
#   4. checks: the layout and its config (umoci stat, skopeo inspect), and the entrypoint started from the unpacked
#      image root (unshare + chroot, as user 65532) until its /healthz answers; `podman run` of the archive when
#      podman is installed and can run containers here.
# The Dockerfile builds the same layout from Microsoft's images, for users with a registry.
#
# Usage: scripts/build-image.sh [OUT_DIR]   (default artifacts/image, git-ignored; env: TAG=dev SUITE=bookworm)
# Needs root (mmdebstrap, chroot) and: dotnet, mmdebstrap, umoci, curl; optional: skopeo, podman.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "${1:-$repo/artifacts/image}"
out="$(cd "${1:-$repo/artifacts/image}" && pwd)"
tag="${TAG:-dev}"
suite="${SUITE:-bookworm}"
image="lazymesh:$tag"
step() { printf '\n== %s\n' "$*"; }

for tool in dotnet mmdebstrap umoci curl unshare chroot; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y --no-install-recommends $tool)" >&2; exit 1; }
done

step "1/4 publish (self-contained, linux-x64)"
rm -rf "$out/app"
dotnet publish "$repo/src/LazyMesh/LazyMesh.csproj" -c Release -r linux-x64 --self-contained true -o "$out/app" -nologo -v quiet
rm -f "$out/app"/*.pdb
du -sh "$out/app"

step "2/4 Debian $suite root filesystem (mmdebstrap --variant=extract)"
rm -rf "$out/rootfs" "$out/rootfs.tar"
mmdebstrap --variant=extract --quiet \
  --include=libc6,libgcc-s1,libstdc++6,zlib1g,libicu72,libssl3,ca-certificates,tzdata \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  "$suite" "$out/rootfs.tar"
mkdir -p "$out/rootfs"
tar -C "$out/rootfs" -xf "$out/rootfs.tar"
cp -a "$out/app" "$out/rootfs/app"
mkdir -p "$out/rootfs/tmp" "$out/rootfs/etc" "$out/rootfs/proc" "$out/rootfs/dev"
chmod 1777 "$out/rootfs/tmp"
echo 'root:x:0:0:root:/root:/usr/sbin/nologin' > "$out/rootfs/etc/passwd"
echo 'lazymesh:x:65532:65532:lazymesh:/nonexistent:/usr/sbin/nologin' >> "$out/rootfs/etc/passwd"
printf 'root:x:0:\nlazymesh:x:65532:\n' > "$out/rootfs/etc/group"
# ca-certificates is extracted, not configured: build the bundle its postinst would.
if [ -d "$out/rootfs/usr/share/ca-certificates" ]; then
  mkdir -p "$out/rootfs/etc/ssl/certs"
  find "$out/rootfs/usr/share/ca-certificates" -name '*.crt' -exec cat {} + > "$out/rootfs/etc/ssl/certs/ca-certificates.crt"
fi
du -sh "$out/rootfs"

step "3/4 OCI image (umoci)"
rm -rf "$out/oci" "$out/bundle"
umoci init --layout "$out/oci"
umoci new --image "$out/oci:$tag"
umoci unpack --image "$out/oci:$tag" "$out/bundle"
cp -a "$out/rootfs/." "$out/bundle/rootfs/"
umoci repack --image "$out/oci:$tag" "$out/bundle"
umoci config --image "$out/oci:$tag" \
  --config.user 65532:65532 --config.workingdir /app \
  --config.entrypoint /app/lazymesh --config.cmd --help \
  --config.env DOTNET_gcServer=0 --config.env DOTNET_EnableDiagnostics=0 \
  --config.exposedports 15800/tcp --config.exposedports 15801/tcp --config.exposedports 8080/tcp --config.exposedports 8081/tcp \
  --config.label org.opencontainers.image.title=lazymesh --architecture amd64 --os linux
umoci gc --layout "$out/oci"
rm -f "$out/lazymesh.oci.tar"
if command -v skopeo >/dev/null; then
  skopeo copy --quiet "oci:$out/oci:$tag" "oci-archive:$out/lazymesh.oci.tar:$image"
else
  tar -C "$out/oci" -cf "$out/lazymesh.oci.tar" .
fi
ls -l "$out/lazymesh.oci.tar"

step "4/4 checks"
umoci stat --image "$out/oci:$tag" | head -4
if command -v skopeo >/dev/null; then
  skopeo inspect --config "oci-archive:$out/lazymesh.oci.tar" > "$out/config.json"
  if grep -q '"User": "65532:65532"' "$out/config.json" && grep -q '"/app/lazymesh"' "$out/config.json"; then
    echo "config: user 65532:65532, entrypoint /app/lazymesh"
  else
    echo "config check failed:" >&2; cat "$out/config.json" >&2; exit 1
  fi
fi

# The entrypoint, started from the image's own root filesystem as the non-root user.
root="$out/bundle/rootfs"
cat > "$root/tmp/inventory.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: check, namespace: default}
spec: {clusterIP: 10.96.0.10, ports: [{name: http, port: 80}]}
YAML
port=$((20000 + RANDOM % 20000))
log="$out/run.log"
unshare --mount --pid --fork --mount-proc="$root/proc" \
  chroot --userspec=65532:65532 "$root" /app/lazymesh fallback --inventory /tmp/inventory.yaml \
  --listen "127.0.0.1:$((port + 1))" --http-listen "127.0.0.1:$port" > "$log" 2>&1 &
pid=$!
ok=""
for _ in $(seq 1 150); do
  if body="$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null)"; then ok="$body"; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
# unshare --fork blocks SIGINT/SIGTERM in its own process while it waits for the child (util-linux unshare.c), so
# the signal goes to the child: the entrypoint, which must shut down cleanly (exit 0), as on a pod's SIGTERM.
child="$(pgrep -P "$pid" || true)"
[ -n "$child" ] && kill -TERM $child 2>/dev/null || true
code=""
for _ in $(seq 1 100); do
  if ! kill -0 "$pid" 2>/dev/null; then wait "$pid" && code=0 || code=$?; break; fi
  sleep 0.1
done
if [ -z "$code" ]; then
  echo "the entrypoint did not exit within 10 s of SIGTERM; killing it" >&2
  kill -KILL $child "$pid" 2>/dev/null || true
  exit 1
fi
if [ -n "$ok" ]; then
  echo "entrypoint (unshare + chroot into the image root, uid 65532): /healthz answered '$ok'; SIGTERM: exit $code"
  [ "$code" = 0 ] || { echo "unclean exit on SIGTERM; its output:" >&2; cat "$log" >&2; exit 1; }
else
  echo "the entrypoint did not answer /healthz; its output:" >&2; cat "$log" >&2; exit 1
fi

if command -v podman >/dev/null; then
  if ! podman load -q -i "$out/lazymesh.oci.tar" >/dev/null 2>"$out/podman.log"; then
    echo "podman could not load the archive: $(tail -1 "$out/podman.log")"
  elif podman run --rm --read-only --network host "localhost/$image" version >"$out/podman.log" 2>&1; then
    echo "podman run: ok ($(head -1 "$out/podman.log"))"
  else
    # Seen in sandboxes: "crun: setrlimit RLIMIT_NPROC: Operation not permitted" (no CAP_SYS_RESOURCE for the runtime).
    echo "podman loaded the image but could not run it here: $(tail -1 "$out/podman.log")"
  fi
else
  echo "podman not installed: the container run is not checked (the chroot check above stands in)"
fi
echo "image: $out/lazymesh.oci.tar ($image); OCI layout: $out/oci"
