using System.Collections;
using System.Reflection;
using Studio.Web.Components.Controls;

namespace Studio.Pages.Bench;

/// <summary>
/// The size of the shared chart cache (<see cref="ChartMarkup"/>, a singleton): entries and the characters of their keys
/// and markup, read through its private dictionary with reflection (a diagnostic only). It grows while changes flow (a
/// new "now" point every 10 s makes new chart markup) and is shared, so it is not per-circuit memory.
/// </summary>
internal static class ChartCacheCensus
{
    public static (int Entries, long Bytes) Measure(ChartMarkup charts)
    {
        var field = typeof(ChartMarkup).GetField("_charts", BindingFlags.Instance | BindingFlags.NonPublic);
        if (field?.GetValue(charts) is not IDictionary entries)
        {
            return (-1, -1);
        }

        long chars = 0;
        var count = 0;
        foreach (DictionaryEntry entry in entries)
        {
            count++;
            chars += ((string)entry.Key).Length;
            var lazy = entry.Value!;
            if ((bool)lazy.GetType().GetProperty("IsValueCreated")!.GetValue(lazy)! && lazy.GetType().GetProperty("Value")!.GetValue(lazy) is Task<string> { IsCompletedSuccessfully: true } markup)
            {
                chars += markup.Result.Length;
            }
        }

        return (count, chars * 2);
    }
}
