"""The moderated peer forum: categories, threads and posts, reports, risk holds and the moderation queue."""
