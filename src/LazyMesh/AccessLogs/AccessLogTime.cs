using System.Globalization;

namespace LazyMesh.AccessLogs;

/// <summary>Envoy's START_TIME (<c>2024-05-01T12:00:00.123Z</c>) to Unix milliseconds, without allocating.</summary>
internal static class AccessLogTime
{
    /// <summary>
    /// Parses the fixed UTC shape Envoy prints (<c>yyyy-MM-ddTHH:mm:ss[.fraction]Z</c>) by hand, anything else
    /// (offsets, other ISO 8601 variants) through <see cref="DateTimeOffset.TryParse(ReadOnlySpan{char}, IFormatProvider?, DateTimeStyles, out DateTimeOffset)"/>.
    /// </summary>
    public static bool TryParseUnixMs(ReadOnlySpan<char> s, out long unixMs)
    {
        if (TryParseFixedUtc(s, out unixMs))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            unixMs = parsed.ToUnixTimeMilliseconds();
            return true;
        }

        unixMs = 0;
        return false;
    }

    /// <summary>
    /// A start time as Unix milliseconds, leniently: ISO 8601 as <see cref="TryParseUnixMs"/>, or Unix seconds (with an
    /// optional fraction, as <c>%START_TIME(%s.%3f)%</c> prints), or Unix milliseconds (13 digits or more). Anything
    /// else, or <c>-</c>, gives 0 ("unknown": the reader's clock is used), never a rejected entry: the time only
    /// orders what was seen, the dependency is there either way.
    /// </summary>
    public static long ParseOrZero(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || s is "-")
        {
            return 0;
        }

        if (TryParseUnixMs(s, out long unixMs))
        {
            return unixMs;
        }

        int dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        if (whole.IsEmpty || whole.Length > 16 || !long.TryParse(whole, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            return 0;
        }

        if (whole.Length >= 13)
        {
            return number;
        }

        long millis = 0;
        if (dot >= 0)
        {
            int scale = 100;
            for (int i = dot + 1; i < s.Length && scale > 0; i++, scale /= 10)
            {
                int digit = s[i] - '0';
                if ((uint)digit > 9)
                {
                    return 0;
                }

                millis += digit * scale;
            }
        }

        return (number * 1000) + millis;
    }

    private static bool TryParseFixedUtc(ReadOnlySpan<char> s, out long unixMs)
    {
        unixMs = 0;
        if (s.Length < 20 || s[^1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!TryDigits(s, 0, 4, out int year) || !TryDigits(s, 5, 2, out int month) || !TryDigits(s, 8, 2, out int day)
            || !TryDigits(s, 11, 2, out int hour) || !TryDigits(s, 14, 2, out int minute) || !TryDigits(s, 17, 2, out int second))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        int millis = 0;
        int end = s.Length - 1;
        if (end > 19)
        {
            if (s[19] != '.' || end == 20)
            {
                return false;
            }

            int scale = 100;
            for (int i = 20; i < end; i++)
            {
                int digit = s[i] - '0';
                if ((uint)digit > 9)
                {
                    return false;
                }

                millis += digit * scale;
                scale /= 10;
            }
        }

        long days = DaysFromCivil(year, month, day);
        unixMs = (((((days * 24) + hour) * 60) + minute) * 60 + second) * 1000 + millis;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            int digit = s[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).</summary>
    private static long DaysFromCivil(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yearOfEra = y - (era * 400);
        long dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097) + dayOfEra - 719468;
    }
}
