using Microsoft.Extensions.Hosting;

namespace LazyMesh.Controller;

/// <summary>
/// How the Generic Host drives a <see cref="LazyMeshController"/>. Hosted services start before Kestrel and stop after
/// it, so: the slow start runs in <see cref="StartedAsync"/> (Kestrel already listens: <c>/healthz</c> answers,
/// <c>/readyz</c> says why not yet); <see cref="StoppingAsync"/> (before Kestrel stops) takes readiness back and
/// refuses new ALS streams; <see cref="StopAsync"/> (after Kestrel stopped, every ALS stream ended) ends the loops and
/// runs the final flush within the host's shutdown timeout.
/// </summary>
internal sealed class ControllerLifecycle(LazyMeshController controller) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        controller.PrepareMetrics();
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => controller.RunStartAsync(cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        controller.BeginStop();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => controller.RunStopAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
