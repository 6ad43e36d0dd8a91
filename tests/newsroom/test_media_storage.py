"""Media go to object storage when MEDIA_S3_BUCKET is set, and stay local otherwise."""

from django.utils.module_loading import import_string

from newsroom.settings import media_storage


def test_media_stay_on_the_local_disk_by_default():
    assert media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_puts_media_on_s3_with_public_cacheable_urls():
    config = media_storage({
        "MEDIA_S3_BUCKET": "newsroom-media",
        "MEDIA_S3_ENDPOINT_URL": "https://objects.example.com",
        "MEDIA_CDN_DOMAIN": "media.example.com",
    })
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])

    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage.bucket_name == "newsroom-media"
    assert storage.url("posters/ballard.jpg") == "https://media.example.com/media/posters/ballard.jpg"
    assert storage.file_overwrite is False
    assert "immutable" in storage.object_parameters["CacheControl"]


def test_without_a_cdn_domain_urls_point_at_the_bucket_endpoint():
    config = media_storage({"MEDIA_S3_BUCKET": "newsroom-media",
                            "MEDIA_S3_ENDPOINT_URL": "https://objects.example.com"})
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])

    url = storage.url("posters/ballard.jpg")

    assert url.startswith("https://objects.example.com/newsroom-media/media/posters/ballard.jpg")
    assert "Signature" not in url
