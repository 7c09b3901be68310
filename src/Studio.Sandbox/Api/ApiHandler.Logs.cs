using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>Pod logs: a container's simulated output, with tail, since, timestamps and follow.</summary>
internal sealed partial class ApiHandler
{
    private async Task LogAsync(HttpContext ctx, ResourceType t, string ns, string name)
    {
        var pod = _service.Get(t, ns, name);
        var containers = ((pod["spec"]?["containers"] as JsonArray) ?? []).Select(c => (string?)c?["name"] ?? "").ToList();
        string? container = ctx.Request.Query["container"];
        if (string.IsNullOrEmpty(container))
        {
            if (containers.Count != 1)
            {
                throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers)}]");
            }

            container = containers[0];
        }
        else if (!containers.Contains(container) && !((pod["spec"]?["initContainers"] as JsonArray) ?? []).Any(c => (string?)c?["name"] == container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }

        var text = _logs.Read(ns, name, container);
        var sent = text.Length;
        if (int.TryParse(ctx.Request.Query["tailLines"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tail) && tail >= 0)
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            text = string.Concat(lines.Skip(Math.Max(0, lines.Length - tail)).Select(l => l + "\n"));
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted).ConfigureAwait(false);
        if (!ApiRequest.IsTrue(ctx.Request.Query["follow"]))
        {
            return;
        }

        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping);
        try
        {
            while (!cts.IsCancellationRequested && Store.Get("pods", ns, name) is not null)
            {
                await Task.Delay(200, cts.Token).ConfigureAwait(false);
                var now = _logs.Read(ns, name, container);
                if (now.Length > sent)
                {
                    await ctx.Response.WriteAsync(now[sent..], cts.Token).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(cts.Token).ConfigureAwait(false);
                    sent = now.Length;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Client or server stopped following.
        }
    }
}
