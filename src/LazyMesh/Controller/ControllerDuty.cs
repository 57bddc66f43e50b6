using LazyMesh.Controller.Queue;

namespace LazyMesh.Controller;

/// <summary>
/// A periodic or on-demand job of a mode part, run as a key of the controller's queue (so it never runs beside itself
/// and backs off alone): first after <see cref="FirstRun"/>, then as its reconcile asks.
/// </summary>
/// <param name="InFinalFlush">Also run once more in the final flush at shutdown.</param>
/// <param name="FollowsInventory">Also queued whenever the inventory changed.</param>
public sealed record ControllerDuty(ControllerKey Key, TimeSpan FirstRun, bool InFinalFlush = false, bool FollowsInventory = false);
