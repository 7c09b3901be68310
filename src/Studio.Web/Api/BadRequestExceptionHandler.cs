using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Studio.Web.Api;

/// <summary>
/// Turns the framework's binding failures (a malformed or wrongly shaped JSON body, a missing body, a body over the size
/// limit) into problem details that name the problem and the JSON path — 400, or 413 for a body that is too large —
/// instead of a 500 (Development) or a bare "Bad Request" (Production). Route handlers throw them because
/// <see cref="Microsoft.AspNetCore.Routing.RouteHandlerOptions.ThrowOnBadRequest"/> is on in every environment.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        // A JsonException that escapes a handler comes from reading the body by hand (ReadFromJsonAsync).
        var bad = exception switch
        {
            BadHttpRequestException b => b,
            JsonException json when httpContext.Request.HasJsonContentType() => new BadHttpRequestException("The JSON body could not be read.", json),
            _ => null,
        };
        if (bad is null)
        {
            return false;
        }

        var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
        var (detail, path) = Describe(bad);
        logger.LogInformation("Refused a malformed request to {Path}: {Detail}", httpContext.Request.Path, detail);
        httpContext.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request body could not be read.",
            Detail = detail,
        };
        if (path is not null)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [path] = [detail] };
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static (string Detail, string? Path) Describe(BadHttpRequestException bad)
    {
        for (Exception? inner = bad; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
                var reason = json.InnerException is { } cause && cause is not JsonException ? cause.Message : FirstSentence(json.Message);
                return ($"The JSON body is malformed or has the wrong shape at {path}: {reason}", path);
            }
        }

        return (bad.Message, null);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
