using Microsoft.AspNetCore.SignalR;

namespace Studio.Web.Hubs;

/// <summary>
/// One hub subscription inside a shared <see cref="LiveHubPump"/>: a connection and where it stands. At most one write is in
/// flight per member; batches that come meanwhile wait in a short queue of shared messages (bounded by
/// <see cref="LiveHubOptions.MaxBacklog"/>); beyond that the member is behind: it is skipped, and when its write
/// completes it gets a fresh snapshot before any further batch. A slow connection never delays the pump or the others.
/// </summary>
internal sealed class LiveHubPumpMember(LiveHubPump pump, HubConnectionContext connection)
{
    private readonly Lock _gate = new();
    private readonly Queue<LiveHubMessage> _backlog = new();
    private Task? _writing;
    private bool _behind;
    private bool _removed;

    public HubConnectionContext Connection => connection;

    /// <summary>The pump generation the member's last snapshot was taken in: batches up to it are already in it.</summary>
    public long SnapshotGeneration { get; private set; }

    /// <summary>Called by the pump (not under its lock) with the batch of <paramref name="generation"/>.</summary>
    public void Deliver(LiveHubMessage message, long generation)
    {
        lock (_gate)
        {
            if (_removed || _behind || generation <= SnapshotGeneration)
            {
                return;
            }

            if (_writing is not null)
            {
                if (_backlog.Count < pump.Owner.Options.MaxBacklog)
                {
                    _backlog.Enqueue(message);
                    return;
                }

                // Too far behind: drop what is queued, skip until the write completes, then send a snapshot.
                _behind = true;
                _backlog.Clear();
                pump.Owner.Metrics.FellBehindOnce();
                return;
            }

            Write(message);
        }
    }

    /// <summary>Called by the pump under its lock: a snapshot taken in <paramref name="generation"/> goes out next.</summary>
    public bool SendSnapshot(LiveHubMessage snapshot, long generation, bool onlyIfBehind)
    {
        lock (_gate)
        {
            if (_removed || (onlyIfBehind && (!_behind || _writing is not null)))
            {
                return false;
            }

            _behind = false;
            _backlog.Clear();
            SnapshotGeneration = generation;
            if (_writing is not null)
            {
                // Resubscribe while a write is in flight: the snapshot follows it.
                _backlog.Enqueue(snapshot);
                return true;
            }

            Write(snapshot);
            return true;
        }
    }

    public void Remove()
    {
        lock (_gate)
        {
            _removed = true;
            _backlog.Clear();
        }
    }

    private void Write(LiveHubMessage message)
    {
        ValueTask written;
        try
        {
            written = connection.WriteAsync(message.For(connection.Protocol), CancellationToken.None);
        }
        catch (Exception ex)
        {
            pump.WriteFailed(ex);
            return;
        }

        if (written.IsCompletedSuccessfully)
        {
            return;
        }

        _writing = written.AsTask();
        _writing.ContinueWith(static (task, state) => ((LiveHubPumpMember)state!).Written(task), this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void Written(Task task)
    {
        if (task.Exception is { } failed)
        {
            pump.WriteFailed(failed.InnerException ?? failed);
        }

        lock (_gate)
        {
            _writing = null;
            if (_removed)
            {
                return;
            }

            if (!_behind)
            {
                if (_backlog.TryDequeue(out var next))
                {
                    Write(next);
                }

                return;
            }
        }

        // Caught up after falling behind: a fresh snapshot (taken under the pump's lock, so no batch falls between).
        pump.CatchUp(this);
    }
}
