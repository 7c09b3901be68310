using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Studio.Infrastructure.Live;

namespace Studio.Web.Model;

/// <summary>
/// GPU heat-map rows shared by every monitoring page of a cluster: the shared live view hands all circuits the same GPU
/// node loads (one list per change batch), so the same loads, row limit and owners of the namespaces shown make the same
/// rows. Built once instead of once per person (≈ 300 slots with their owner and pod texts). Owners differ between people
/// (a workspace someone is not a member of shows as "another workspace"), so they are part of the key. An entry lives as
/// long as its loads list.
/// </summary>
public sealed class GpuHeatMapRows
{
    private readonly ConditionalWeakTable<IReadOnlyList<GpuNodeLoad>, ConcurrentDictionary<string, (IReadOnlyList<GpuNodeRow> Rows, int Hidden)>> _rows = [];

    /// <summary>How many row lists were built (not found); for tests and benches.</summary>
    public int Built => Volatile.Read(ref _built);

    private int _built;

    /// <summary>The heat map of <see cref="MonitoringModel.GpuHeatMap(IReadOnlyList{GpuNodeLoad}, Func{string, string}, int, out int)"/>, shared.</summary>
    public IReadOnlyList<GpuNodeRow> For(IReadOnlyList<GpuNodeLoad> loads, Func<string, string> ownerOfNamespace, int maxNodes, out int hidden)
    {
        ArgumentNullException.ThrowIfNull(loads);
        ArgumentNullException.ThrowIfNull(ownerOfNamespace);

        // The owners that the shown rows use, in the order they first appear (the loads' order is fixed for this list).
        var key = new StringBuilder().Append(maxNodes);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var load in loads.Take(maxNodes))
        {
            foreach (var pod in load.Pods)
            {
                if (pod.Requests.Gpus > 0 && seen.Add(pod.Namespace))
                {
                    key.Append('\n').Append(pod.Namespace).Append('\t').Append(ownerOfNamespace(pod.Namespace));
                }
            }
        }

        var byOwners = _rows.GetValue(loads, _ => new ConcurrentDictionary<string, (IReadOnlyList<GpuNodeRow>, int)>(StringComparer.Ordinal));
        var (rows, shownHidden) = byOwners.GetOrAdd(key.ToString(), _ =>
        {
            Interlocked.Increment(ref _built);
            var built = MonitoringModel.GpuHeatMap(loads, ownerOfNamespace, maxNodes, out var h);
            return (built, h);
        });
        hidden = shownHidden;
        return rows;
    }
}
