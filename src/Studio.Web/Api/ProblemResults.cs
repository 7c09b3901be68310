using Studio.Domain.Common;

namespace Studio.Web.Api;

/// <summary>Maps domain results to HTTP: RFC 7807 problem details, with field-level messages for validation.</summary>
public static class ProblemResults
{
    /// <summary>The code of an upload over its size limit (answered 413).</summary>
    public const string TooLarge = "too_large";

    public static IResult ToProblem(this IReadOnlyList<Error> errors)
    {
        var first = errors[0];
        if (errors.All(e => e.Kind == ErrorKind.Validation) || (first.Kind == ErrorKind.Conflict && first.Field is not null && errors.Count > 1))
        {
            return Results.ValidationProblem(
                errors.GroupBy(e => e.Field ?? string.Empty).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: errors.All(e => e.Code == TooLarge) ? "The upload is too large." : errors.All(e => e.IsUnprocessable) ? "The request cannot be carried out as asked." : "The request has invalid fields.",
                statusCode: errors.All(e => e.Code == TooLarge) ? StatusCodes.Status413PayloadTooLarge : errors.All(e => e.IsUnprocessable) ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status400BadRequest);
        }

        var status = first.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status400BadRequest,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = first.Code };
        if (first.Field is not null)
        {
            extensions["errors"] = new Dictionary<string, string[]> { [first.Field] = [first.Message] };
        }

        return Results.Problem(detail: first.Message, statusCode: status, title: Title(status), extensions: extensions);
    }

    public static IResult ToHttp(this Result result) => result.IsSuccess ? Results.NoContent() : result.Errors.ToProblem();

    private static string Title(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status409Conflict => "Conflict.",
        StatusCodes.Status403Forbidden => "Forbidden.",
        _ => "Bad request.",
    };
}
