using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Studio.Pages.Bench;

/// <summary>
/// What one open circuit holds: its components by type and their render-tree frame capacity (two builders each). Read
/// through the renderer's private state with reflection (a diagnostic only; ASP.NET Core exposes no public census).
/// </summary>
internal sealed class CircuitCensus : CircuitHandler
{
    private const BindingFlags Any = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
    private static readonly ConcurrentDictionary<string, (Circuit Circuit, long Opened)> Circuits = new();
    private static long _opened;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Circuits[circuit.Id] = (circuit, Interlocked.Increment(ref _opened));
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Circuits.TryRemove(circuit.Id, out _);
        return Task.CompletedTask;
    }

    /// <summary>A table of the newest circuit's components: count and frames per type, largest first.</summary>
    public static string Describe(int top = 60)
    {
        // The most recently opened (a ConcurrentDictionary has no order: the previous path's closing circuits can linger).
        var circuit = Circuits.Values.OrderBy(c => c.Opened).LastOrDefault().Circuit;
        if (circuit is null)
        {
            return "no circuit open";
        }

        try
        {
            var host = circuit.GetType().GetField("_circuitHost", Any)!.GetValue(circuit)!;
            var renderer = host.GetType().GetProperty("Renderer", Any)!.GetValue(host)!;
            var states = (IDictionary)FindField(renderer.GetType(), "_componentStateById")!.GetValue(renderer)!;
            var rows = new Dictionary<string, (int Count, long Frames)>();
            long total = 0;
            foreach (var state in states.Values)
            {
                var component = state!.GetType().GetProperty("Component", Any)!.GetValue(state)!;
                long frames = 0;
                foreach (var field in state.GetType().GetFields(Any).Where(f => f.FieldType.Name == "RenderTreeBuilder"))
                {
                    frames += Capacity(field.GetValue(state));
                }

                foreach (var property in state.GetType().GetProperties(Any).Where(p => p.PropertyType.Name == "RenderTreeBuilder"))
                {
                    frames += Capacity(property.GetValue(state));
                }

                var name = component.GetType().Name;
                var row = rows.GetValueOrDefault(name);
                rows[name] = (row.Count + 1, row.Frames + frames);
                total += frames;
            }

            var lines = rows.OrderByDescending(r => r.Value.Frames).Take(top)
                .Select(r => $"  {r.Key,-36} {r.Value.Count,5} components {r.Value.Frames,8:N0} frames");
            return $"circuit {circuit.Id[..8]}: {states.Count} components, {total:N0} render-tree frames of capacity (≈ {total * 40 / 1024:N0} KB)\n" + string.Join('\n', lines);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidCastException or ArgumentException)
        {
            return $"census unavailable: {e.Message}";
        }
    }

    /// <summary>
    /// Render batches the server keeps until the browser acknowledges them (the renderer's unacknowledged-batch queue,
    /// at most 10 per circuit by default), over every open circuit: circuits with any, batches, and bytes.
    /// </summary>
    public static (int Circuits, int Batches, long Bytes) Unacknowledged()
    {
        int circuits = 0, batches = 0;
        long bytes = 0;
        foreach (var (circuit, _) in Circuits.Values)
        {
            try
            {
                var host = circuit.GetType().GetField("_circuitHost", Any)!.GetValue(circuit)!;
                var renderer = host.GetType().GetProperty("Renderer", Any)!.GetValue(host)!;
                var queue = FindField(renderer.GetType(), "_unacknowledgedRenderBatches")?.GetValue(renderer) as IEnumerable;
                var count = 0;
                foreach (var batch in queue ?? Array.Empty<object>())
                {
                    count++;
                    var data = batch!.GetType().GetProperty("Data", Any)?.GetValue(batch);
                    bytes += data?.GetType().GetProperty("Count", Any)?.GetValue(data) is int n ? n : 0;
                }

                batches += count;
                circuits += count > 0 ? 1 : 0;
            }
            catch (Exception e) when (e is NullReferenceException or InvalidCastException or ArgumentException or InvalidOperationException)
            {
                return (-1, -1, -1);
            }
        }

        return (circuits, batches, bytes);
    }

    private static long Capacity(object? builder)
    {
        if (builder is null)
        {
            return 0;
        }

        var entries = FindField(builder.GetType(), "_entries")?.GetValue(builder);
        var items = entries is null ? null : FindField(entries.GetType(), "_items")?.GetValue(entries) as Array;
        return items?.Length ?? 0;
    }

    private static FieldInfo? FindField(Type? type, string name)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.GetField(name, Any) is { } field)
            {
                return field;
            }
        }

        return null;
    }
}
