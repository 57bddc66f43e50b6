using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.AccessLogs;

/// <summary><c>--log-format</c> read from an <c>istio</c> ConfigMap, a MeshConfig or Telemetry YAML.</summary>
public sealed class AccessLogFormatLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lazymesh-format-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Istio_or_nothing_means_the_defaults()
    {
        Assert.Same(AccessLogFormatSet.IstioDefaults, AccessLogFormatLoader.Load(null));
        Assert.Same(AccessLogFormatSet.IstioDefaults, AccessLogFormatLoader.Load(["istio"]));
    }

    [Fact]
    public void The_istio_configmap_mesh_access_log_format_is_read()
    {
        var path = Write("istio.yaml", $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: |-
                accessLogFile: /dev/stdout
                accessLogEncoding: TEXT
                accessLogFormat: '{{CustomFormatTests.Custom.TrimEnd('\n').Replace("'", "''", StringComparison.Ordinal)}}'
            """);
        var set = AccessLogFormatLoader.Load([path]);
        Assert.Equal("MeshConfig TEXT", set.Text[0].Name);
        var parser = new AccessLogLineParser(set);
        Assert.Equal(AccessLogLineKind.Parsed, parser.Parse(EnvoyLineRenderer.Text(CustomFormatTests.Custom, new()), out _, out _));
    }

    [Fact]
    public void Json_encoding_reads_the_format_as_labels()
    {
        var path = Write("mesh.yaml", """
            accessLogFile: /dev/stdout
            accessLogEncoding: JSON
            accessLogFormat: '{"cluster":"%UPSTREAM_CLUSTER%","src":"%DOWNSTREAM_REMOTE_ADDRESS%","dst":"%DOWNSTREAM_LOCAL_ADDRESS%","host":"%REQ(:AUTHORITY)%"}'
            """);
        var set = AccessLogFormatLoader.Load([path]);
        Assert.Equal("MeshConfig JSON", set.Json[0].Name);
        Assert.Equal(AccessLogField.UpstreamCluster, set.Json[0].Keys["cluster"]);
    }

    [Fact]
    public void Telemetry_keeps_only_the_providers_it_names()
    {
        var mesh = Write("istio.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: |-
                extensionProviders:
                - name: used
                  envoyFileAccessLog:
                    path: /dev/stdout
                    logFormat:
                      labels:
                        cluster: "%UPSTREAM_CLUSTER_RAW%"
                        src: "%DOWNSTREAM_REMOTE_ADDRESS%"
                        dst: "%DOWNSTREAM_LOCAL_ADDRESS%"
                        host: "%REQ(:AUTHORITY)%"
                - name: unused
                  envoyFileAccessLog:
                    path: /dev/stdout
                    logFormat:
                      text: "%UPSTREAM_CLUSTER% %DOWNSTREAM_REMOTE_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %REQ(:AUTHORITY)%"
            """);
        var telemetry = Write("telemetry.yaml", """
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              accessLogging:
              - providers:
                - name: used
            """);

        var set = AccessLogFormatLoader.Load([mesh, telemetry]);
        Assert.Equal(["provider used JSON", "Istio JSON"], set.Json.Select(j => j.Name));
        Assert.DoesNotContain(set.Text, t => t.Name.Contains("unused", StringComparison.Ordinal));

        var alone = Assert.Throws<AccessLogFormatException>(() => AccessLogFormatLoader.Load([telemetry]));
        Assert.Contains("no MeshConfig", alone.Message);
    }

    [Fact]
    public void A_provider_format_lacking_fields_is_refused_with_the_list()
    {
        var path = Write("mesh.yaml", """
            extensionProviders:
            - name: short
              envoyFileAccessLog:
                path: /dev/stdout
                logFormat:
                  text: "[%START_TIME%] %UPSTREAM_CLUSTER% %RESPONSE_CODE%"
            """);
        var e = Assert.Throws<AccessLogFormatException>(() => AccessLogFormatLoader.Load([path]));
        Assert.Contains("%DOWNSTREAM_REMOTE_ADDRESS%", e.Missing);
    }

    [Fact]
    public void A_file_without_any_format_says_what_it_looked_for()
    {
        var path = Write("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n");
        var e = Assert.Throws<AccessLogFormatException>(() => AccessLogFormatLoader.Load([path]));
        Assert.Contains("istio ConfigMap", e.Message);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
