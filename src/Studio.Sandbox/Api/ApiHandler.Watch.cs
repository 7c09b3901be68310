using System.Buffers;
using System.IO.Pipelines;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>Watches: the initial list as ADDED events when asked, then the store's changes, with bookmarks, as JSON lines or tables.</summary>
internal sealed partial class ApiHandler
{
    private async Task WatchAsync(HttpContext ctx, ResourceType t, string? ns)
    {
        var q = ctx.Request.Query;
        var filters = ParseFilters(ctx, t);
        var bookmarks = ApiRequest.IsTrue(q["allowWatchBookmarks"]);
        var sendInitial = ApiRequest.IsTrue(q["sendInitialEvents"]);
        var asTable = ApiRequest.WantsTable(ctx);
        string? rvText = q["resourceVersion"];
        long? from = null;
        if (!string.IsNullOrEmpty(rvText))
        {
            if (!long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            {
                throw ApiException.BadRequest($"invalid resource version \"{rvText}\"");
            }

            from = rv;
        }

        if (sendInitial)
        {
            from = null;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping);
        if (int.TryParse(q["timeoutSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
        {
            cts.CancelAfter(TimeSpan.FromSeconds(timeout));
        }
        else
        {
            // Like kube-apiserver: a watch without timeoutSeconds ends after a random 30-60 minutes.
            cts.CancelAfter(TimeSpan.FromMinutes(30 + (Random.Shared.NextDouble() * 30)));
        }

        var ct = cts.Token;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var writer = ctx.Response.BodyWriter;
        StoreSubscription sub;
        try
        {
            sub = Store.Subscribe(t.StorageKey, ns, from, initial: true);
        }
        catch (ApiException e) when (e.Code is 410 or 504)
        {
            writer.Write(StoreEvent.BuildLine("ERROR", JsonSerializer.SerializeToUtf8Bytes(e.ToStatus(), SandboxJson.Options)));
            await writer.FlushAsync(ct).ConfigureAwait(false);
            return;
        }

        using (sub)
        {
            var headers = true;
            long lastRv = sub.StartResourceVersion;
            await ctx.Response.StartAsync(ct).ConfigureAwait(false);
            if (sub.Initial.Count > 0)
            {
                await Task.Yield(); // a large initial list is CPU work: keep it off the socket threads
            }

            var pending = 0;
            foreach (var o in sub.Initial)
            {
                if (filters.Matches(o))
                {
                    pending += WriteEvent(writer, t, "ADDED", o, asTable, ref headers);
                    if (pending > 256 * 1024)
                    {
                        pending = 0;
                        await writer.FlushAsync(ct).ConfigureAwait(false);
                    }
                }
            }

            if (sendInitial && bookmarks)
            {
                writer.Write(BookmarkLine(t, lastRv, initialEnd: true));
            }

            await writer.FlushAsync(ct).ConfigureAwait(false);
            var reader = sub.Events;
            while (!ct.IsCancellationRequested)
            {
                bool has;
                try
                {
                    // A frozen (hung) server sends nothing at all, bookmarks included.
                    await _faults.WhileFrozenAsync(ct).ConfigureAwait(false);
                    if (bookmarks)
                    {
                        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        wait.CancelAfter(_bookmarkInterval);
                        has = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        has = await reader.WaitToReadAsync(ct).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    writer.Write(BookmarkLine(t, lastRv, initialEnd: false));
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SubscriberTooSlowException)
                {
                    break;
                }

                if (!has)
                {
                    break;
                }

                while (reader.TryRead(out var e))
                {
                    lastRv = e.ResourceVersion;
                    WriteChange(writer, t, e, filters, asTable, ref headers);
                }

                await writer.FlushAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private static void WriteChange(PipeWriter writer, ResourceType t, StoreEvent e, Filters filters, bool asTable, ref bool headers)
    {
        if (filters.IsEmpty && !asTable && !t.Rewrites)
        {
            writer.Write(e.Line);
            return;
        }

        var nowMatch = filters.Matches(e.Object);
        var wasMatch = e.Previous is not null && filters.Matches(e.Previous);
        var type = e.Type switch
        {
            "ADDED" => nowMatch ? "ADDED" : null,
            "MODIFIED" when nowMatch => wasMatch ? "MODIFIED" : "ADDED",
            "MODIFIED" => wasMatch ? "DELETED" : null,
            _ => nowMatch || wasMatch ? "DELETED" : null,
        };
        if (type is not null)
        {
            WriteEvent(writer, t, type, e.Object, asTable, ref headers);
        }
    }

    private static int WriteEvent(PipeWriter writer, ResourceType t, string type, StoredObject o, bool asTable, ref bool headers)
    {
        if (asTable)
        {
            var table = TableConverter.Table(t, [ObjectService.AsVersion(t, o.ToJsonObject())], headers, null, null);
            headers = false;
            var tableLine = StoreEvent.BuildLine(type, JsonSerializer.SerializeToUtf8Bytes(table, SandboxJson.Options));
            writer.Write(tableLine);
            return tableLine.Length;
        }

        var json = t.Rewrites ? JsonSerializer.SerializeToUtf8Bytes(ObjectService.AsVersion(t, o.ToJsonObject()), SandboxJson.Options) : o.Json;
        var line = StoreEvent.BuildLine(type, json);
        writer.Write(line);
        return line.Length;
    }

    private static byte[] BookmarkLine(ResourceType t, long rv, bool initialEnd)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (initialEnd)
        {
            meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        var obj = new JsonObject { ["kind"] = t.Kind, ["apiVersion"] = t.ApiVersion, ["metadata"] = meta };
        return StoreEvent.BuildLine("BOOKMARK", JsonSerializer.SerializeToUtf8Bytes(obj, SandboxJson.Options));
    }
}
