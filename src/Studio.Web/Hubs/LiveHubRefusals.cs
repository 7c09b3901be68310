using Microsoft.AspNetCore.SignalR;
using Studio.Web.Security;

namespace Studio.Web.Hubs;

/// <summary>
/// A hub method that refuses (a <see cref="HubException"/>: a scope that is malformed or not visible) is an expected
/// answer, not a server fault: it goes to the <see cref="RefusalLog"/> (information, no stack trace, rate-limited) and
/// the caller still gets the error. Anything else a hub method throws is logged here as an error with its stack trace
/// — SignalR's own per-invocation error log is turned off (<see cref="DispatcherCategory"/>), since it would log
/// every refusal at error level with a stack trace.
/// </summary>
public sealed class LiveHubRefusals(RefusalLog refusals, ILogger<LiveHub> logger) : IHubFilter
{
    /// <summary>The log category of SignalR's hub dispatcher, whose failed-invocation log this filter replaces.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refused)
        {
            var argument = invocationContext.HubMethodArguments.Count > 0 ? invocationContext.HubMethodArguments[0] as string : null;
            refusals.Refused(logger, $"hub {invocationContext.HubMethodName}({Shorten(argument)})", refused.Message, invocationContext.Context.UserIdentifier ?? invocationContext.Context.User?.Identity?.Name);
            throw;
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Live hub method {Method} failed", invocationContext.HubMethodName);
            throw;
        }
    }

    private static string Shorten(string? text) => text is null ? string.Empty : text.Length <= 100 ? text : text[..100] + "…";
}
