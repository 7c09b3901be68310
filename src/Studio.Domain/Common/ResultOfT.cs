namespace Studio.Domain.Common;

/// <summary>The outcome of an operation that produces a value or fails in an expected way.</summary>
public sealed class Result<T> : Result
{
    private readonly T? _value;

    private Result(T value)
        : base([]) => _value = value;

    private Result(IReadOnlyList<Error> errors)
        : base(errors)
    {
    }

    public T Value => IsSuccess ? _value! : throw new DomainException("A failed result has no value.");

    public static Result<T> Ok(T value) => new(value);

    public static new Result<T> Failure(Error error) => new([error]);

    public static new Result<T> Failure(IReadOnlyList<Error> errors) =>
        errors.Count == 0 ? throw new DomainException("A failure needs at least one error.") : new Result<T>(errors);

    public static implicit operator Result<T>(Error error) => Failure(error);

    public static implicit operator Result<T>(T value) => Ok(value);
}
