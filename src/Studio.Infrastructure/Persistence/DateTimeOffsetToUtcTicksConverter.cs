using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Studio.Infrastructure.Persistence;

/// <summary>Stores a <see cref="DateTimeOffset"/> as UTC ticks so that SQLite can sort and compare it.</summary>
internal sealed class DateTimeOffsetToUtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
