namespace Studio.Infrastructure.Live;

/// <summary>Adds studio-side objects (job records, ...) to a scope's snapshot.</summary>
public interface ILiveSnapshotSource
{
    IEnumerable<LiveChange<LiveObject>> Snapshot(LiveScope scope);
}
