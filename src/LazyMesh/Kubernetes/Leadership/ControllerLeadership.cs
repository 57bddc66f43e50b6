using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Leadership;

/// <summary>
/// Leader election on a Lease with KubernetesClient's <see cref="LeaderElector"/>: <see cref="RunAsync"/> campaigns,
/// leads until the lease is lost, and campaigns again, until cancelled. <see cref="IsLeader"/> gates singleton duties;
/// everything else (ALS learning, status merges) runs on every replica.
/// </summary>
public sealed partial class ControllerLeadership(IKubernetes client, LeadershipOptions options, ILogger? logger = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private volatile bool _isLeader;

    public LeadershipOptions Options => options;

    public bool IsLeader => _isLeader;

    /// <summary>The identity of the current leader, as last observed.</summary>
    public string? Leader { get; private set; }

    public event Action? StartedLeading;

    public event Action? StoppedLeading;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var config = new LeaderElectionConfig(new LeaseLock(client, options.Namespace, options.LeaseName, options.Identity))
            {
                LeaseDuration = options.LeaseDuration,
                RenewDeadline = options.RenewDeadline,
                RetryPeriod = options.RetryPeriod,
            };
            using var elector = new LeaderElector(config);
            elector.OnStartedLeading += OnStarted;
            elector.OnStoppedLeading += OnStopped;
            elector.OnNewLeader += leader => Leader = leader;
            elector.OnError += e => LogError(_logger, e.Message);
            try
            {
                await elector.RunUntilLeadershipLostAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogError(_logger, e.Message);
            }
            finally
            {
                if (_isLeader)
                {
                    OnStopped();
                }
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(options.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void OnStarted()
    {
        _isLeader = true;
        Leader = options.Identity;
        LogStarted(_logger, options.Identity, options.Namespace, options.LeaseName);
        StartedLeading?.Invoke();
    }

    private void OnStopped()
    {
        if (!_isLeader)
        {
            return;
        }

        _isLeader = false;
        LogStopped(_logger, options.Identity);
        StoppedLeading?.Invoke();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} leads (lease {Namespace}/{Lease})")]
    private static partial void LogStarted(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} lost leadership")]
    private static partial void LogStopped(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "leader election: {Error}")]
    private static partial void LogError(ILogger logger, string error);
}
