using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Studio.Web.Components.Controls;

/// <summary>
/// MudBlazor charts rendered to markup once per distinct content (type, size, labels, series, options) with
/// <see cref="HtmlRenderer"/> and shared by every circuit showing the same chart: each page holds one reference to the
/// markup instead of a MudChart with thousands of SVG frames of its own. Every monitoring page on a cluster shows the
/// same history, so 50 open pages cost one rendering. The charts are static (no hover tooltips); the cards around them
/// show the current values. Bounded: the oldest of <see cref="Capacity"/> entries is dropped first.
/// </summary>
public sealed class ChartMarkup(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    /// <summary>How many distinct charts are kept.</summary>
    public const int Capacity = 64;

    private static readonly JsonSerializerOptions KeyJson = new() { IgnoreReadOnlyProperties = true };
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _charts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>How many charts were rendered (not served from the cache); for tests and benches.</summary>
    public int Rendered => Volatile.Read(ref _rendered);

    private int _rendered;

    /// <summary>The markup MudChart renders for these parameters (rendered at most once while cached).</summary>
    public Task<string> GetAsync(ChartType type, IReadOnlyList<ChartSeries<double>> series, string[] labels, MudBlazor.Charts.IChartOptions options, string width, string height)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        var key = Key(type, series, labels, options, width, height);
        return Cached(key, () => RenderAsync(type, [.. series], [.. labels], options, width, height));
    }

    /// <summary>
    /// The shared instance of <paramref name="markup"/>: every page that builds the same markup (the same GPU grid) holds
    /// one string instead of its own copy, and a page renders it as one frame instead of one per element.
    /// </summary>
    public string Share(string markup)
    {
        ArgumentNullException.ThrowIfNull(markup);
        return Cached(markup, () => Task.FromResult(markup)).Result;
    }

    /// <summary>
    /// The entry for <paramref name="key"/>, created once with <paramref name="create"/>; the oldest entries go first
    /// beyond <see cref="Capacity"/>, and a rendering that failed is dropped so the next page tries again.
    /// </summary>
    private Task<string> Cached(string key, Func<Task<string>> create)
    {
        var entry = _charts.GetOrAdd(key, _ =>
        {
            _order.Enqueue(key);
            return new Lazy<Task<string>>(create);
        });
        while (_charts.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            _charts.TryRemove(oldest, out _);
        }

        var markup = entry.Value;
        if (markup.IsFaulted)
        {
            _charts.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(key, entry));
        }

        return markup;
    }

    private static string Key(ChartType type, IReadOnlyList<ChartSeries<double>> series, string[] labels, MudBlazor.Charts.IChartOptions options, string width, string height)
    {
        var key = new StringBuilder(1024);
        key.Append(type).Append('|').Append(width).Append('|').Append(height).Append('|').Append(options.GetType().Name).Append('|');
        key.Append(JsonSerializer.Serialize(options, options.GetType(), KeyJson)).Append('|');
        key.AppendJoin('\u001f', labels).Append('|');
        foreach (var s in series)
        {
            key.Append(s.Name).Append(':');
            foreach (var value in s.Data.Values)
            {
                key.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            key.Append(';');
        }

        return key.ToString();
    }

    private Task<string> RenderAsync(ChartType type, List<ChartSeries<double>> series, string[] labels, MudBlazor.Charts.IChartOptions options, string width, string height)
    {
        Interlocked.Increment(ref _rendered);
        return StaticMarkup.RenderAsync<MudChart<double>>(scopes, loggers, new Dictionary<string, object?>
        {
            [nameof(MudChart<double>.ChartType)] = type,
            [nameof(MudChart<double>.ChartSeries)] = series,
            [nameof(MudChart<double>.ChartLabels)] = labels,
            [nameof(MudChart<double>.ChartOptions)] = options,
            [nameof(MudChart<double>.Width)] = width,
            [nameof(MudChart<double>.Height)] = height,
        });
    }
}
