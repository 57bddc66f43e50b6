# One image for the controller and the fallback: `lazymesh controller ...` / `lazymesh fallback ...`.
#   docker build -t REGISTRY/lazymesh:TAG .   then   lazymesh install --image REGISTRY/lazymesh:TAG --apply
# Without a registry or Docker, scripts/build-image.sh builds the same image offline (Debian rootfs + umoci).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first (cached while only sources change).
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props LazyMesh.slnx ./
COPY src/LazyMesh/LazyMesh.csproj src/LazyMesh/
RUN dotnet restore src/LazyMesh/LazyMesh.csproj -r linux-x64
COPY deploy/crds deploy/crds
COPY src/LazyMesh src/LazyMesh
RUN dotnet publish src/LazyMesh/LazyMesh.csproj -c Release -r linux-x64 --self-contained true --no-restore \
      -p:InvariantGlobalization=false -o /app \
 && rm -f /app/*.pdb

# Runtime: Ubuntu chiseled (no shell, no package manager) with the native libraries .NET needs (ICU, OpenSSL).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled-extra AS runtime
COPY --from=build /app /app
WORKDIR /app
ENV DOTNET_gcServer=0 \
    DOTNET_EnableDiagnostics=0 \
    ASPNETCORE_URLS=
# The same non-root user the manifests run as (runAsUser 65532); the root filesystem can be read-only.
USER 65532:65532
EXPOSE 15800 15801 8080 8081
ENTRYPOINT ["/app/lazymesh"]
CMD ["--help"]
