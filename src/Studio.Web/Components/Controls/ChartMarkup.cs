using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using SeriesLookup = (MudBlazor.ChartType Type, object Labels, object Options, string Width, string Height, bool Tips);

namespace Studio.Web.Components.Controls;

/// <summary>
/// MudBlazor charts rendered to markup once per distinct content (type, size, labels, series, options) with
/// <see cref="HtmlRenderer"/> and shared by every circuit showing the same chart: each page holds one reference to the
/// markup instead of a MudChart with thousands of SVG frames of its own. Every monitoring page on a cluster shows the
/// same history, so 50 open pages cost one rendering. MudChart's own tooltips (a hidden circle with three handlers per
/// point) are off; instead each point can get a hover band with a native tooltip (<see cref="WithTips"/>), part of the same
/// shared markup. Bounded: the oldest of <see cref="Capacity"/> entries is dropped first.
/// </summary>
public sealed partial class ChartMarkup(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    /// <summary>How many distinct charts are kept.</summary>
    public const int Capacity = 64;

    private static readonly JsonSerializerOptions KeyJson = new() { IgnoreReadOnlyProperties = true };
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _charts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly ConditionalWeakTable<object, ConcurrentDictionary<SeriesLookup, Task<string>>> _bySeries = [];

    /// <summary>How many charts were rendered (not served from the cache); for tests and benches.</summary>
    public int Rendered => Volatile.Read(ref _rendered);

    private int _rendered;

    /// <summary>
    /// The markup MudChart renders for these parameters (rendered at most once while cached), with a hover band and
    /// tooltip per label when <paramref name="tips"/> has one text per label.
    /// </summary>
    public Task<string> GetAsync(ChartType type, IReadOnlyList<ChartSeries<double>> series, string[] labels, MudBlazor.Charts.IChartOptions options, string width, string height, Func<IReadOnlyList<string>>? tips = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);

        // Pages showing the same chart pass the same series instance (built once for all circuits): answer those without
        // building the content key again.
        var seen = _bySeries.GetValue(series, _ => new ConcurrentDictionary<SeriesLookup, Task<string>>());
        SeriesLookup lookup = (type, labels, options, width, height, tips is not null);
        var found = seen.GetOrAdd(lookup, _ =>
        {
            var texts = tips?.Invoke();
            var content = Key(type, series, labels, options, width, height);
            if (texts is { Count: > 0 })
            {
                content += "|tips:" + string.Join('\u001f', texts);
            }

            // The cache keeps a digest of the content, not the content (series as text and tooltips: ≈ 100 KB a chart).
            var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content)));
            return Cached(key, async () =>
            {
                var markup = await RenderAsync(type, [.. series], [.. labels], options, width, height);
                return WithoutEmptyTexts(texts is { Count: > 0 } ? WithTips(markup, texts) : markup);
            });
        });
        if (found.IsFaulted)
        {
            seen.TryRemove(new KeyValuePair<SeriesLookup, Task<string>>(lookup, found));
        }

        return found;
    }

    /// <summary>
    /// Adds to a rendered axis chart one transparent band per category, centred on its x-axis label and reaching halfway
    /// to its neighbours, each with a native tooltip (<c>&lt;title&gt;</c>): hover help without a handler, a component or
    /// a script, in the shared markup. The markup is returned unchanged when the labels and tips do not match up.
    /// </summary>
    public static string WithTips(string markup, IReadOnlyList<string> tips)
    {
        ArgumentNullException.ThrowIfNull(markup);
        ArgumentNullException.ThrowIfNull(tips);
        var axis = markup.IndexOf("<g class=\"mud-charts-xaxis\">", StringComparison.Ordinal);
        var end = markup.LastIndexOf("</svg>", StringComparison.Ordinal);
        var box = ViewBox().Match(markup);
        if (axis < 0 || end < axis || !box.Success)
        {
            return markup;
        }

        var axisEnd = markup.IndexOf("</g>", axis, StringComparison.Ordinal);
        var xs = LabelX().Matches(markup[axis..axisEnd]).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        if (xs.Count != tips.Count || xs.Count == 0)
        {
            return markup;
        }

        // The plot ends where the x-axis labels begin (MudChart leaves 25 units below the plot for them).
        var height = double.Parse(box.Groups[1].Value, CultureInfo.InvariantCulture) - 25;
        var bands = new StringBuilder(tips.Sum(t => t.Length + 96) + 64);
        bands.Append("<g class=\"studio-chart-tips\">");
        for (var i = 0; i < xs.Count; i++)
        {
            var left = i > 0 ? (xs[i - 1] + xs[i]) / 2 : xs.Count > 1 ? xs[0] - ((xs[1] - xs[0]) / 2) : xs[0] - 10;
            var right = i < xs.Count - 1 ? (xs[i] + xs[i + 1]) / 2 : xs.Count > 1 ? xs[i] + ((xs[i] - xs[i - 1]) / 2) : xs[0] + 10;
            bands.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left:0.##}\" y=\"0\" width=\"{right - left:0.##}\" height=\"{height:0.##}\"><title>")
                .Append(System.Net.WebUtility.HtmlEncode(tips[i]))
                .Append("</title></rect>");
        }

        bands.Append("</g>");
        return markup.Insert(end, bands.ToString());
    }

    /// <summary>
    /// The markup without its empty <c>&lt;text&gt;</c> elements: MudChart writes one x-axis label per point and leaves
    /// all but every tenth empty, ≈ 37 % of a 60-point chart. They draw nothing, yet every circuit was sent them again
    /// with each new "now" point (four charts, ≈ 80 KB a render batch, in pooled buffers held until the browser acknowledges).
    /// </summary>
    public static string WithoutEmptyTexts(string markup)
    {
        ArgumentNullException.ThrowIfNull(markup);
        return EmptyText().Replace(markup, string.Empty);
    }

    [GeneratedRegex("<text [^<>]*></text>")]
    private static partial Regex EmptyText();

    [GeneratedRegex("<text x='([0-9.]+)'")]
    private static partial Regex LabelX();

    [GeneratedRegex("viewBox=\"0 0 [0-9.]+ ([0-9.]+)\"")]
    private static partial Regex ViewBox();

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
