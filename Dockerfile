# The studio as a container: build with the .NET SDK, run on the ASP.NET Core runtime.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Studio.Web -c Release -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    Studio__DataFolder=/data
VOLUME /data
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "Studio.Web.dll"]
