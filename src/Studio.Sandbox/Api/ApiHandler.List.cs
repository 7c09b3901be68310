using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>Lists (label and field selectors, paging with continue tokens, tables for kubectl) and delete-collection.</summary>
internal sealed partial class ApiHandler
{
    private sealed record Filters(LabelSelector Labels, FieldSelector Fields)
    {
        public bool IsEmpty => Labels.IsEmpty && Fields.IsEmpty;

        public bool Matches(StoredObject o) => Labels.Matches(o) && Fields.Matches(o);
    }

    private static Filters ParseFilters(HttpContext ctx, ResourceType t) =>
        new(LabelSelector.Parse(ctx.Request.Query["labelSelector"]), FieldSelector.Parse(ctx.Request.Query["fieldSelector"], t));

    private async Task ListAsync(HttpContext ctx, ResourceType t, string? ns)
    {
        var q = ctx.Request.Query;
        var filters = ParseFilters(ctx, t);
        var limit = int.TryParse(q["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : 0;
        string? after = null;
        long? pinnedRv = null;
        if (!string.IsNullOrEmpty(q["continue"]))
        {
            (var rv, after) = ContinueToken.Decode(q["continue"]!);
            if (rv < Store.OldestListableResourceVersion)
            {
                throw ApiException.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }

            pinnedRv = rv;
        }

        var (items, storeRv, lastKey, more) = Store.List(t.StorageKey, ns, after, limit, filters.IsEmpty ? null : filters.Matches);
        var listRv = (pinnedRv ?? storeRv).ToString(CultureInfo.InvariantCulture);
        var token = more && lastKey is not null ? ContinueToken.Encode(pinnedRv ?? storeRv, lastKey) : null;
        if (ApiRequest.WantsTable(ctx))
        {
            var table = TableConverter.Table(t, items.Select(i => ObjectService.AsVersion(t, i.ToJsonObject())), true, listRv, token);
            await WriteJsonAsync(ctx, table).ConfigureAwait(false);
            return;
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var writer = ctx.Response.BodyWriter;
        var meta = new JsonObject { ["resourceVersion"] = listRv };
        if (token is not null)
        {
            meta["continue"] = token;
        }

        writer.Write(Encoding.UTF8.GetBytes($"{{\"kind\":\"{t.ListKind}\",\"apiVersion\":\"{t.ApiVersion}\",\"metadata\":{meta.ToJsonString()},\"items\":["));
        var pending = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(Comma);
            }

            var json = t.Rewrites ? JsonSerializer.SerializeToUtf8Bytes(ObjectService.AsVersion(t, items[i].ToJsonObject()), SandboxJson.Options) : items[i].Json;
            writer.Write(json);
            pending += json.Length;
            if (pending > 256 * 1024)
            {
                pending = 0;
                await writer.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            }
        }

        writer.Write("]}"u8);
        await writer.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext ctx, ResourceType t, string? ns)
    {
        var filters = ParseFilters(ctx, t);
        var opt = await ApiRequest.DeleteOptionsAsync(ctx).ConfigureAwait(false);
        var (items, _, _, _) = Store.List(t.StorageKey, ns, null, 0, filters.IsEmpty ? null : filters.Matches);
        foreach (var o in items)
        {
            try
            {
                _service.Delete(t, o.Namespace.Length == 0 ? null : o.Namespace, o.Name, opt);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Removed meanwhile.
            }
        }

        await WriteJsonAsync(ctx, ApiException.StatusObject("Success", "", null, 200)).ConfigureAwait(false);
    }
}
